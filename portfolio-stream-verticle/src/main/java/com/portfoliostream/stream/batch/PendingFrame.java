package com.portfoliostream.stream.batch;

import com.portfoliostream.events.model.Account;
import com.portfoliostream.events.model.Order;
import com.portfoliostream.events.model.PortfolioFrame;
import com.portfoliostream.events.model.Position;
import com.portfoliostream.events.model.Trade;
import com.portfoliostream.events.model.Versioned;
import com.portfoliostream.events.protocol.EventPayload;
import com.portfoliostream.events.protocol.EventType;
import com.portfoliostream.events.protocol.ServerEvent;
import com.portfoliostream.events.protocol.ServerEvents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entity states waiting to be sent, coalesced: the newest position per symbol, the newest order
 * per order id, the newest account, and every trade in order. "Newest" is by version, so a late,
 * older state never replaces a newer one. Bounded: past {@link #maxEntities} it reports overflow
 * instead of growing.
 */
public final class PendingFrame {

  /** When one entity state ({@link #key} names it) was caused at the broker, for latency. */
  public record Stamp(EventType type, String key, Instant brokerTime) {}

  /** The key of the account's stamp (there is one account per user). */
  public static final String ACCOUNT_KEY = "a";

  /** The key of a position's stamp. */
  public static String key(Position position) {
    return "p:" + position.symbol();
  }

  /** The key of an order's stamp. */
  public static String key(Order order) {
    return "o:" + order.orderId();
  }

  /** The key of a trade's stamp. */
  public static String key(Trade trade) {
    return "t:" + trade.tradeId();
  }

  private final int maxEntities;
  private final Map<String, Position> positions = new LinkedHashMap<>();
  private final Map<String, Order> orders = new LinkedHashMap<>();
  private final List<Trade> trades = new ArrayList<>();
  private final Map<String, Stamp> stamps = new LinkedHashMap<>();
  private final List<Stamp> tradeStamps = new ArrayList<>();
  private Account account;
  private Stamp accountStamp;
  private int absorbed;

  public PendingFrame(int maxEntities) {
    this.maxEntities = maxEntities;
  }

  /** Adds an entity event; false when the frame is full (the caller decides what that means). */
  public boolean add(ServerEvent event, Instant brokerTime) {
    if (size() >= maxEntities) {
      return false;
    }
    absorbed++;
    EventPayload data = event.data();
    switch (event.type()) {
      case POSITION_UPDATE -> keepNewer(positions, ((Position) data).symbol(),
          (Position) data, new Stamp(event.type(), key((Position) data), brokerTime));
      case ORDER_UPDATE -> keepNewer(orders, ((Order) data).orderId(),
          (Order) data, new Stamp(event.type(), key((Order) data), brokerTime));
      case ACCOUNT_UPDATE -> {
        if (Versioned.supersedes((Account) data, account)) {
          account = (Account) data;
          accountStamp = new Stamp(event.type(), ACCOUNT_KEY, brokerTime);
        }
      }
      case TRADE_EXECUTED -> {
        trades.add((Trade) data);
        tradeStamps.add(new Stamp(event.type(), key((Trade) data), brokerTime));
      }
      case BATCH, SNAPSHOT -> addFrame((PortfolioFrame) data, brokerTime);
      default -> throw new IllegalArgumentException(event.type().wire() + " is not an entity event");
    }
    return true;
  }

  private void addFrame(PortfolioFrame frame, Instant brokerTime) {
    absorbed--;
    if (frame.positions() != null) {
      frame.positions().forEach(p -> add(ServerEvents.positionUpdate(null, p, brokerTime), brokerTime));
    }
    if (frame.orders() != null) {
      frame.orders().forEach(o -> add(ServerEvents.orderUpdate(null, o, brokerTime), brokerTime));
    }
    if (frame.account() != null) {
      add(ServerEvents.accountUpdate(null, frame.account(), brokerTime), brokerTime);
    }
    if (frame.trades() != null) {
      frame.trades().forEach(t -> add(ServerEvents.tradeExecuted(null, t, brokerTime), brokerTime));
    }
  }

  private <T extends Versioned> void keepNewer(Map<String, T> map, String id, T state, Stamp stamp) {
    if (Versioned.supersedes(state, map.get(id))) {
      map.put(id, state);
      stamps.put(stamp.key(), stamp);
    }
  }

  public boolean isEmpty() {
    return size() == 0;
  }

  /** Entity states held (after coalescing). */
  public int size() {
    return positions.size() + orders.size() + trades.size() + (account == null ? 0 : 1);
  }

  /** Entity events added since the last drain (before coalescing). */
  public int absorbed() {
    return absorbed;
  }

  /**
   * Empties the frame into one event: the typed event when it holds one entity, else a batch.
   * Null when empty.
   */
  public ServerEvent drain(String userId, Instant now) {
    if (isEmpty()) {
      return null;
    }
    ServerEvent event;
    if (size() == 1) {
      event = single(userId, now);
    } else {
      event = ServerEvents.batch(userId, new PortfolioFrame(
          positions.isEmpty() ? null : List.copyOf(positions.values()),
          orders.isEmpty() ? null : List.copyOf(orders.values()),
          account,
          trades.isEmpty() ? null : List.copyOf(trades)), now);
    }
    clear();
    return event;
  }

  /** The broker times of what is held, one per entity state. */
  public List<Stamp> stamps() {
    List<Stamp> all = new ArrayList<>(stamps.values());
    all.addAll(tradeStamps);
    if (accountStamp != null) {
      all.add(accountStamp);
    }
    return all;
  }

  private ServerEvent single(String userId, Instant now) {
    if (!positions.isEmpty()) {
      return ServerEvents.positionUpdate(userId, positions.values().iterator().next(), now);
    }
    if (!orders.isEmpty()) {
      return ServerEvents.orderUpdate(userId, orders.values().iterator().next(), now);
    }
    if (!trades.isEmpty()) {
      return ServerEvents.tradeExecuted(userId, trades.get(0), now);
    }
    return ServerEvents.accountUpdate(userId, account, now);
  }

  private void clear() {
    positions.clear();
    orders.clear();
    trades.clear();
    stamps.clear();
    tradeStamps.clear();
    account = null;
    accountStamp = null;
    absorbed = 0;
  }
}
