package com.portfoliostream.benchmarks;

import com.portfoliostream.events.model.Account;
import com.portfoliostream.events.model.Order;
import com.portfoliostream.events.model.OrderSide;
import com.portfoliostream.events.model.OrderStatus;
import com.portfoliostream.events.model.OrderType;
import com.portfoliostream.events.model.Position;
import com.portfoliostream.events.model.PositionSide;
import com.portfoliostream.events.model.TimeInForce;
import com.portfoliostream.events.model.Trade;
import com.portfoliostream.events.protocol.ServerEvent;
import com.portfoliostream.events.protocol.ServerEvents;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The broker's side of a benchmark: price ticks of every user's positions, orders and fills,
 * published through an {@link EventSink} from one Vert.x timer every {@link #TICK_MS}. Continuous
 * load spreads its rates evenly over each second, by the wall clock (a late tick catches up, on at
 * most a second), the
 * price ticks round robin over every user's every position; sparse load ticks each position at its
 * own rate of 1-100 a minute. Every price tick moves the price by 1 %, past the significance
 * threshold, so no event is filtered away. Each event's time stamps (a position's {@code asOf}, an
 * order's {@code updatedAt}, a trade's {@code executedAt}, an account's {@code timestamp}) are the
 * moment it was published: the client subtracts them from the moment of receipt. Strategy id
 * {@code fill} marks the position update a fill caused.
 */
final class PortfolioLoad {

  static final long TICK_MS = 10;
  /** The most a late tick catches up on. */
  static final long MAX_CATCH_UP_MS = 1_000;
  static final String FILL_STRATEGY = "fill";

  /** Events per second of each kind; a fill is four events (order, trade, position, account). */
  record Rates(int pricesPerSecond, int ordersPerSecond, int fillsPerSecond) {}

  /** Shared by every load: a version must keep growing, or the edge rightly drops it as stale. */
  private static final Map<String, Long> VERSIONS = new ConcurrentHashMap<>();

  private final Vertx vertx;
  private final List<UUID> users;
  private final int positionsPerUser;
  private final Rates rates;
  private final boolean sparse;
  /** Each user's updates spread over the second (user after user) instead of one burst per user. */
  private final boolean spread;
  private final EventSink sink;
  private final Random random = new Random(11);
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong positionUpdates = new AtomicLong();
  private final long[] nextTick;
  private final long[] intervalMs;
  private long timer = -1;
  /** Read on the timer's event loop, moved on by {@link #resume()} on the caller's thread. */
  private volatile long startedAt;
  private long pausedAt;
  private long prices;
  private long orders;
  private long fills;
  private int cursor;

  /** Continuous load at {@code rates}, each user's positions in turn: one burst per user. */
  PortfolioLoad(Vertx vertx, List<UUID> users, int positionsPerUser, Rates rates, EventSink sink) {
    this(vertx, users, positionsPerUser, rates, false, false, sink);
  }

  /** Continuous load at {@code rates}, user after user: each user's updates spread over the second. */
  static PortfolioLoad spread(Vertx vertx, List<UUID> users, int positionsPerUser, Rates rates, EventSink sink) {
    return new PortfolioLoad(vertx, users, positionsPerUser, rates, false, true, sink);
  }

  /** Sparse load: each position at its own rate of 1-100 ticks a minute, nothing else. */
  static PortfolioLoad sparse(Vertx vertx, List<UUID> users, int positionsPerUser, EventSink sink) {
    return new PortfolioLoad(vertx, users, positionsPerUser, new Rates(0, 0, 0), true, false, sink);
  }

  private PortfolioLoad(Vertx vertx, List<UUID> users, int positionsPerUser, Rates rates, boolean sparse,
      boolean spread, EventSink sink) {
    this.spread = spread;
    this.vertx = vertx;
    this.users = users;
    this.positionsPerUser = positionsPerUser;
    this.rates = rates;
    this.sparse = sparse;
    this.sink = sink;
    nextTick = new long[users.size() * positionsPerUser];
    intervalMs = new long[nextTick.length];
    long now = System.currentTimeMillis();
    for (int i = 0; i < nextTick.length; i++) {
      intervalMs[i] = 60_000L / (1 + random.nextInt(100));
      nextTick[i] = now + random.nextInt((int) intervalMs[i]);
    }
  }

  void start() {
    startedAt = System.currentTimeMillis();
    tick();
  }

  /** Stops publishing until {@link #resume()}; what falls due in between is never sent, not caught up. */
  void pause() {
    vertx.cancelTimer(timer);
    pausedAt = System.currentTimeMillis();
  }

  void resume() {
    startedAt += System.currentTimeMillis() - pausedAt;
    tick();
  }

  private void tick() {
    timer = vertx.setPeriodic(TICK_MS, id -> {
      if (sparse) {
        sparseTicks();
      } else {
        continuousTicks();
      }
      sink.flush();
    });
  }

  void stop() {
    vertx.cancelTimer(timer);
  }

  long published() {
    return published.get();
  }

  long positionUpdates() {
    return positionUpdates.get();
  }

  /**
   * What is due by the wall clock, but at most {@link #MAX_CATCH_UP_MS} of it: a driver that fell
   * further behind (a starved machine) skips the rest instead of holding its event loop for as
   * long as it takes, and {@link #published()} shows the rate it reached.
   */
  private void continuousTicks() {
    long elapsed = System.currentTimeMillis() - startedAt;
    prices = Math.max(prices, rates.pricesPerSecond() * (elapsed - MAX_CATCH_UP_MS) / 1000);
    orders = Math.max(orders, rates.ordersPerSecond() * (elapsed - MAX_CATCH_UP_MS) / 1000);
    fills = Math.max(fills, rates.fillsPerSecond() * (elapsed - MAX_CATCH_UP_MS) / 1000);
    for (long due = rates.pricesPerSecond() * elapsed / 1000; prices < due; prices++) {
      int i = cursor++ % nextTick.length;
      price(spread ? (i % users.size()) * positionsPerUser + (i / users.size()) % positionsPerUser : i, false);
    }
    for (long due = rates.ordersPerSecond() * elapsed / 1000; orders < due; orders++) {
      order(users.get(random.nextInt(users.size())), OrderStatus.NEW);
    }
    for (long due = rates.fillsPerSecond() * elapsed / 1000; fills < due; fills++) {
      fill(random.nextInt(users.size()));
    }
  }

  private void sparseTicks() {
    long now = System.currentTimeMillis();
    for (int slot = 0; slot < nextTick.length; slot++) {
      if (nextTick[slot] <= now) {
        nextTick[slot] = now + intervalMs[slot];
        price(slot, false);
      }
    }
  }

  private void price(int slot, boolean fill) {
    UUID user = users.get(slot / positionsPerUser);
    String symbol = "S" + (slot % positionsPerUser);
    Instant now = Instant.now();
    long version = VERSIONS.merge(user + symbol, 1L, Long::sum);
    Position position = new Position(symbol, BigDecimal.TEN, version % 2 == 0 ? new BigDecimal("100.50") : new BigDecimal("99.50"),
        new BigDecimal("100.00"), null, null, null, PositionSide.LONG, fill ? FILL_STRATEGY : null, now, now, version);
    publish(ServerEvents.positionUpdate(user.toString(), position, now), fill);
    positionUpdates.incrementAndGet();
  }

  private void order(UUID user, OrderStatus status) {
    Instant now = Instant.now();
    String id = UUID.randomUUID().toString();
    publish(ServerEvents.orderUpdate(user.toString(), new Order(id, null, "S0", OrderSide.BUY, OrderType.MARKET,
        TimeInForce.DAY, status, BigDecimal.ONE, status == OrderStatus.FILLED ? BigDecimal.ONE : BigDecimal.ZERO,
        null, null, null, now, null, null, null, null, now, 1L), now), false);
  }

  /** A fill: the order, the trade, the position and the account it changes. */
  private void fill(int userIndex) {
    UUID user = users.get(userIndex);
    Instant now = Instant.now();
    order(user, OrderStatus.FILLED);
    publish(ServerEvents.tradeExecuted(user.toString(), new Trade(UUID.randomUUID().toString(), null, "S0",
        OrderSide.BUY, BigDecimal.ONE, new BigDecimal("100.00"), null, now, null), now), true);
    price(userIndex * positionsPerUser, true);
    long version = VERSIONS.merge(user + "account", 1L, Long::sum);
    publish(ServerEvents.accountUpdate(user.toString(), new Account(new BigDecimal("100000.00"),
        new BigDecimal("200000.00"), new BigDecimal("50000.00"), new BigDecimal("100000.00"), BigDecimal.ZERO,
        BigDecimal.ZERO, new BigDecimal("100000.00"), now, version), now), true);
  }

  private void publish(ServerEvent event, boolean fill) {
    sink.publish(event, fill);
    published.incrementAndGet();
  }
}
