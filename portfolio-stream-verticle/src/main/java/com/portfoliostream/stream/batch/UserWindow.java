package com.portfoliostream.stream.batch;

import com.portfoliostream.common.bus.UserEventBus;
import com.portfoliostream.events.model.Position;
import com.portfoliostream.events.model.Significance;
import com.portfoliostream.events.protocol.EventType;
import com.portfoliostream.events.protocol.ServerEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The batching window of one user on one node. The first event after a quiet spell goes out at
 * once and opens a window; events arriving while it is open are coalesced and go out together
 * when it ends, and a window that ends empty closes. Order updates, trade executions and updates
 * a fill caused are urgent: they go out after a linger of a few milliseconds (so that the order,
 * trade, position and account of one fill share a frame), with whatever was waiting. An update
 * older than one already seen is dropped, and so is a price-only position move within the
 * significance threshold ({@link Significance}). Pure logic: the owner runs the timers and calls
 * {@link #tick} and {@link #flushUrgent}.
 */
public final class UserWindow {

  /** What became of an offered event. URGENT: call {@link #flushUrgent} after {@link #URGENT_LINGER_MS}. */
  public enum Outcome { SENT, HELD, URGENT, STALE, INSIGNIFICANT }

  /** How long an urgent event waits for the rest of its fill before its frame goes out. */
  public static final long URGENT_LINGER_MS = 5;

  /** The outcome, and the frame to send now if there is one. */
  public record Result(Outcome outcome, Optional<Flush> flush) {}

  /** Entity states one window may hold before it is flushed early. */
  public static final int MAX_PENDING = 5_000;

  private final String userId;
  private final PendingFrame pending = new PendingFrame(MAX_PENDING);
  private final VersionGuard guard = new VersionGuard();
  private final BigDecimal significancePercent;
  /** The last state of each position that was let through, the baseline of significance. */
  private final Map<String, Position> lastPassed = new HashMap<>();
  private boolean open;
  private boolean urgentPending;

  public UserWindow(String userId) {
    this(userId, Significance.DEFAULT_THRESHOLD_PERCENT);
  }

  public UserWindow(String userId, BigDecimal significancePercent) {
    this.userId = userId;
    this.significancePercent = significancePercent;
  }

  public Result offer(ServerEvent event, UserEventBus.Meta meta, Instant now) {
    if (!guard.admit(event)) {
      return new Result(Outcome.STALE, Optional.empty());
    }
    if (!significant(event, meta)) {
      return new Result(Outcome.INSIGNIFICANT, Optional.empty());
    }
    Optional<Flush> early = Optional.empty();
    if (!pending.add(event, meta.brokerTime())) {
      early = Optional.of(drain(now));
      pending.add(event, meta.brokerTime());
    }
    if (isUrgent(event, meta)) {
      open = true;
      boolean first = !urgentPending;
      urgentPending = true;
      return new Result(first ? Outcome.URGENT : Outcome.HELD, early);
    }
    if (!open) {
      open = true;
      return new Result(Outcome.SENT, Optional.of(drain(now)));
    }
    return new Result(early.isPresent() ? Outcome.SENT : Outcome.HELD, early);
  }

  /** The linger of an urgent event is over: send everything waiting. */
  public Optional<Flush> flushUrgent(Instant now) {
    urgentPending = false;
    return pending.isEmpty() ? Optional.empty() : Optional.of(drain(now));
  }

  /** The window's time is up: send what it holds, or close it when it holds nothing. */
  public Optional<Flush> tick(Instant now) {
    if (pending.isEmpty()) {
      open = false;
      return Optional.empty();
    }
    return Optional.of(drain(now));
  }

  /** True while a window is running (the owner must keep a timer for it). */
  public boolean isOpen() {
    return open;
  }

  private Flush drain(Instant now) {
    urgentPending = false;
    int eventsIn = pending.absorbed();
    var stamps = pending.stamps();
    return new Flush(pending.drain(userId, now), stamps, eventsIn);
  }

  /** Price-only moves within the threshold of the last position let through are dropped. */
  private boolean significant(ServerEvent event, UserEventBus.Meta meta) {
    if (event.type() != EventType.POSITION_UPDATE) {
      return true;
    }
    Position next = (Position) event.data();
    if (meta.causedByFill() || Significance.isSignificant(lastPassed.get(next.symbol()), next, significancePercent)) {
      lastPassed.put(next.symbol(), next);
      return true;
    }
    return false;
  }

  private static boolean isUrgent(ServerEvent event, UserEventBus.Meta meta) {
    return meta.causedByFill() || event.type() == EventType.ORDER_UPDATE
        || event.type() == EventType.TRADE_EXECUTED;
  }
}
