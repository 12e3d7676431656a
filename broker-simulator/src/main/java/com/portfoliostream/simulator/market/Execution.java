package com.portfoliostream.simulator.market;

import com.portfoliostream.simulator.alpaca.AlpacaJson;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * When and how much of an open order fills. The simulated liquidity at any instant is the
 * partial-fill quantity: a larger order fills in pieces spaced by the partial-fill delay, an
 * {@code ioc} order takes one piece and cancels the rest, a {@code fok} order larger than one
 * piece is canceled unfilled. Market orders fill at the current price; limit orders when the
 * price reaches the limit; stop orders become market (stop_limit: limit) orders once the price
 * reaches the stop. A fill that the account can no longer afford rejects the order (or cancels
 * the rest of a partly filled one).
 */
final class Execution {

  private final Market market;
  private final BigDecimal liquidity;
  private final long partialFillDelayMs;

  Execution(Market market, BigDecimal liquidity, long partialFillDelayMs) {
    this.market = market;
    this.liquidity = liquidity;
    this.partialFillDelayMs = partialFillDelayMs;
  }

  /** Fills what it can of an order now; does nothing to orders that are not working. */
  void work(SimOrder order) {
    if (!canFillNow(order)) {
      return;
    }
    BigDecimal price = market.price(order.symbol());
    BigDecimal remaining = order.targetQty.subtract(order.filledQty);
    boolean tooBigForFok = order.timeInForce.equals("fok") && remaining.compareTo(liquidity) > 0;
    if (!marketable(order, price) || tooBigForFok) {
      if (isImmediate(order)) {
        market.cancelNow(order);
      }
      return;
    }
    BigDecimal qty = remaining.min(liquidity);
    Account account = market.accountOf(order);
    if (!affordable(account, order.symbol(), order.side(), qty, price)) {
      refuse(order);
      return;
    }
    fill(account, order, qty, price);
    if (!order.status.isTerminal()) {
      rest(order);
    }
  }

  private boolean canFillNow(SimOrder order) {
    boolean accepted = order.status == OrderStatus.NEW || order.status == OrderStatus.PARTIALLY_FILLED;
    return accepted && market.isWorking(order) && market.isOpen() && !order.nextPieceScheduled;
  }

  private static boolean isImmediate(SimOrder order) {
    return order.timeInForce.equals("ioc") || order.timeInForce.equals("fok");
  }

  /** An unaffordable fill rejects an untouched order and cancels the rest of a partly filled one. */
  private void refuse(SimOrder order) {
    if (order.filledQty.signum() == 0) {
      market.reject(order);
    } else {
      market.cancelNow(order);
    }
  }

  /** After a partial fill: ioc cancels the rest; others wait for the next piece of liquidity. */
  private void rest(SimOrder order) {
    if (isImmediate(order)) {
      market.cancelNow(order);
      return;
    }
    order.nextPieceScheduled = true;
    market.timers().after(partialFillDelayMs, () -> {
      order.nextPieceScheduled = false;
      work(order);
    });
  }

  /** Whether the exposure an order adds (beyond what it closes) fits the buying power. */
  boolean affordable(Account account, String symbol, String side, BigDecimal qty, BigDecimal price) {
    BigDecimal held = account.positionQty(symbol);
    BigDecimal signed = side.equals("buy") ? qty : qty.negate();
    BigDecimal added = held.add(signed).abs().subtract(held.abs()).max(BigDecimal.ZERO);
    return added.multiply(price).compareTo(account.buyingPower(market.prices())) <= 0;
  }

  private boolean marketable(SimOrder order, BigDecimal price) {
    boolean buy = order.direction() > 0;
    if (order.stopPrice != null && !order.triggered) {
      int vsStop = price.compareTo(order.stopPrice);
      order.triggered = buy ? vsStop >= 0 : vsStop <= 0;
      if (!order.triggered) {
        return false;
      }
    }
    if (order.limitPrice == null) {
      return true;
    }
    int vsLimit = price.compareTo(order.limitPrice);
    return buy ? vsLimit <= 0 : vsLimit >= 0;
  }

  private void fill(Account account, SimOrder order, BigDecimal qty, BigDecimal price) {
    Instant now = market.now();
    order.filledQty = order.filledQty.add(qty);
    order.filledNotional = order.filledNotional.add(qty.multiply(price));
    order.updatedAt = now;
    boolean complete = order.filledQty.compareTo(order.targetQty) >= 0;
    order.status = complete ? OrderStatus.FILLED : OrderStatus.PARTIALLY_FILLED;
    if (complete) {
      order.filledAt = now;
    }
    String executionId = UUID.randomUUID().toString();
    Fill fill = new Fill(AlpacaJson.activityId(now, executionId), executionId, order.id, order.symbol(),
        order.side(), qty, price, order.filledQty, order.targetQty.subtract(order.filledQty), order.status, now);
    account.applyFill(order.symbol(), order.direction() > 0 ? qty : qty.negate(), price, fill);
    market.emit(order, complete ? TradeEvent.FILL : TradeEvent.PARTIAL_FILL, fill);
  }
}
