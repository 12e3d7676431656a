package com.portfoliostream.benchmarks;

import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * The soak's orders: {@code perMinute} market orders of one share, paced by the wall clock (a late
 * tick catches up), round robin over the traders, each trader alternately buying and selling its
 * own symbol so that its position stays put; a trader's next POST waits for the answer to its last
 * (a late order is placed at a later tick: the figures show the rate reached). A fill is not waited
 * for before the next order: each is
 * timed from its {@code POST} to the socket's {@code filled}, or counted unfilled after
 * {@link #FILL_TIMEOUT_MS}. At most {@link #MAX_IN_FLIGHT} orders are awaited at once; past that
 * an order is skipped and counted, so a stuck pipeline cannot grow the driver's memory.
 */
final class OrderFlow {

  static final long FILL_TIMEOUT_MS = 60_000;
  static final int MAX_IN_FLIGHT = 1_000;
  private static final long TICK_MS = 100;

  /**
   * A trader, the symbol it trades, and whether its last POST is still unanswered: a trader posts
   * one order at a time, as a person at a ticket does (the node would take several at once: a
   * session's CSRF token is no longer used once).
   */
  record Desk(OrderTrader trader, String symbol, AtomicBoolean posting) {
    Desk(OrderTrader trader, String symbol) {
      this(trader, symbol, new AtomicBoolean());
    }
  }

  /** What one interval saw; swapped at each sample. */
  static final class Interval {
    final LongAdder placed = new LongAdder();
    final LongAdder accepted = new LongAdder();
    final LongAdder filled = new LongAdder();
    final LongAdder unfilled = new LongAdder();
    final LongAdder skipped = new LongAdder();
    final Map<String, LongAdder> refused = new ConcurrentHashMap<>();
    final Histogram submitToFilledMs = DeliveryBook.histogram();

    Map<String, Object> figures() {
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("placed", placed.sum());
      figures.put("accepted", accepted.sum());
      figures.put("filled", filled.sum());
      figures.put("unfilledAfter60s", unfilled.sum());
      figures.put("skippedTooManyInFlight", skipped.sum());
      Map<String, Long> refusals = new TreeMap<>();
      refused.forEach((why, count) -> refusals.put(why, count.sum()));
      figures.put("refused", refusals);
      figures.put("submitToFilledMs", DeliveryBook.summarize(submitToFilledMs));
      return figures;
    }
  }

  private final Vertx vertx;
  private final List<Desk> desks;
  private final int perMinute;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile Interval interval = new Interval();
  private long timer = -1;
  private long startedAt;
  private long placed;

  OrderFlow(Vertx vertx, List<Desk> desks, int perMinute) {
    this.vertx = vertx;
    this.desks = desks;
    this.perMinute = perMinute;
  }

  void start() {
    if (perMinute == 0) {
      return;
    }
    startedAt = System.currentTimeMillis();
    timer = vertx.setPeriodic(TICK_MS, id -> {
      for (long due = perMinute * (System.currentTimeMillis() - startedAt) / 60_000; placed < due; placed++) {
        Desk desk = desks.get((int) (placed % desks.size()));
        if (!desk.posting().compareAndSet(false, true)) {
          // Its last POST is unanswered: this order and the later ones wait for the next tick.
          return;
        }
        place(desk, placed);
      }
    });
  }

  void stop() {
    vertx.cancelTimer(timer);
  }

  /** The figures since the last swap; a new interval starts. */
  Map<String, Object> swap() {
    Interval ended = interval;
    interval = new Interval();
    desks.forEach(desk -> desk.trader().forgetUnclaimed(TimeUnit.MILLISECONDS.toNanos(FILL_TIMEOUT_MS)));
    return ended.figures();
  }

  private void place(Desk desk, long n) {
    Interval now = interval;
    if (inFlight.get() >= MAX_IN_FLIGHT) {
      desk.posting().set(false);
      now.skipped.increment();
      return;
    }
    String side = (n / desks.size()) % 2 == 0 ? "buy" : "sell";
    long sent = System.nanoTime();
    now.placed.increment();
    inFlight.incrementAndGet();
    desk.trader().place(desk.symbol(), side, "1").onComplete(answer -> {
      desk.posting().set(false);
      if (answer.failed()) {
        inFlight.decrementAndGet();
        String why = answer.cause() instanceof OrderTrader.Refused refused ? "HTTP " + refused.status
            : String.valueOf(answer.cause().getMessage());
        interval.refused.computeIfAbsent(why, k -> new LongAdder()).increment();
        return;
      }
      interval.accepted.increment();
      String orderId = answer.result();
      desk.trader().filled(orderId).orTimeout(FILL_TIMEOUT_MS, TimeUnit.MILLISECONDS).whenComplete((at, late) -> {
        inFlight.decrementAndGet();
        desk.trader().forget(orderId);
        Interval current = interval;
        if (late != null) {
          current.unfilled.increment();
        } else {
          current.filled.increment();
          current.submitToFilledMs.recordValue(Math.max(0, (at - sent) / 1_000_000));
        }
      });
    });
  }
}
