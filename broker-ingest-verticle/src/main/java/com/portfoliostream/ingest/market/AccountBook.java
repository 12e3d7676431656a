package com.portfoliostream.ingest.market;

import com.portfoliostream.events.model.Account;
import com.portfoliostream.events.model.Position;
import com.portfoliostream.events.model.Significance;
import com.portfoliostream.events.model.Valuation;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * One account as position sync sees it: its open positions at the latest prices (and as last published), its balances as
 * last recorded from the broker, and the arithmetic of a new price: the position's value and P&amp;L,
 * the account's equity (cash plus long minus short market value) and day P&amp;L (equity minus the
 * previous close's equity). Nothing is published unless it moved more than the threshold.
 */
final class AccountBook {

  private final UUID userId;
  private final Map<String, Position> positions = new HashMap<>();
  private final Map<String, Position> sent = new HashMap<>();
  private Account balances;
  private Account lastSentAccount;

  AccountBook(UUID userId) {
    this.userId = userId;
  }

  UUID userId() {
    return userId;
  }

  /** A position as recorded (after a fill, a reconcile): the base of the next price's arithmetic. */
  void hold(Position position) {
    positions.put(position.symbol(), position);
    sent.put(position.symbol(), position);
  }

  Position positionOf(String symbol) {
    return positions.get(symbol);
  }

  java.util.Set<String> symbols() {
    return positions.keySet();
  }

  void balances(Account recorded) {
    balances = recorded;
    lastSentAccount = recorded;
  }

  /** The position at the new price, when the move is worth telling the user. */
  Optional<Position> reprice(String symbol, BigDecimal price, Instant time, BigDecimal thresholdPercent) {
    Position current = positions.get(symbol);
    if (current == null) {
      return Optional.empty();
    }
    Position next = new Position(symbol, current.quantity(), price, current.entryPrice(),
        Valuation.unrealizedPnl(current.side(), current.quantity(), current.entryPrice(), price),
        Valuation.unrealizedPnlPercent(current.side(), current.quantity(), current.entryPrice(), price),
        Valuation.marketValue(current.side(), current.quantity(), price), current.side(), current.strategyId(),
        current.openedAt(), time, current.version());
    positions.put(symbol, next);
    if (!Significance.isSignificant(sent.get(symbol), next, thresholdPercent)) {
      return Optional.empty();
    }
    sent.put(symbol, next);
    return Optional.of(next);
  }

  /** Balances at the prices of the positions as last published, when equity moved past the threshold. */
  Optional<Account> revalue(Instant time, BigDecimal thresholdPercent) {
    if (balances == null) {
      return Optional.empty();
    }
    BigDecimal netValue = BigDecimal.ZERO;
    for (Position p : positions.values()) {
      if (p.marketValue() != null) {
        netValue = netValue.add(p.marketValue());
      }
    }
    BigDecimal equity = Valuation.money(balances.cash().add(netValue));
    BigDecimal moved = Valuation.percent(equity.subtract(lastSentAccount.equity()).abs(), lastSentAccount.equity());
    if (moved.compareTo(thresholdPercent) <= 0) {
      return Optional.empty();
    }
    BigDecimal dayPnl = Valuation.money(equity.subtract(balances.lastEquity()));
    Account next = new Account(equity, balances.buyingPower(), balances.cash(), equity, dayPnl,
        Valuation.percent(dayPnl, balances.lastEquity()), balances.lastEquity(), time, balances.version());
    lastSentAccount = next;
    return Optional.of(next);
  }
}
