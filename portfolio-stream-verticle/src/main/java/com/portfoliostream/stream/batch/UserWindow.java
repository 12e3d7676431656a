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
import java.util.OptionalLong;

/**
 * The batching of one user on one node: what to send and when. Events are coalesced per entity
 * (the newest state of each position and order and of the account wins; every trade is kept) and
 * leave as one frame. When a frame leaves depends on the {@link Pacing}:
 * <ul>
 *   <li>{@link Pacing.Deadline} (the default): every event leaves within the deadline of its
 *       arrival. The first event after a quiet spell (no frame for a deadline) goes after a linger of
 *       {@link #BURST_LINGER_MS}, so that a burst arriving together is one frame; later ones wait
 *       for the frame the oldest waiting event's deadline sends. At ten updates a second that is
 *       about two frames a second, each event at most a deadline late.
 *   <li>{@link Pacing.Window}: the fixed window of old. The first event after a quiet spell goes
 *       at once and opens a window; what arrives in it goes when it ends; an empty window closes.
 * </ul>
 * Order updates, trades and what a fill changed are urgent in both: they go after a linger of
 * {@link #URGENT_LINGER_MS} (so that the order, trade, position and account of one fill share a
 * frame), with whatever was waiting. An update older than one already seen is dropped, and so is
 * a price-only position move within the significance threshold ({@link Significance}). Pure
 * logic: the owner keeps one timer at {@link #dueAt()} and calls {@link #flushDue} when it fires.
 */
public final class UserWindow {

  /** What became of an offered event: SENT (the result carries a frame to send now) or HELD (see {@link #dueAt()}). */
  public enum Outcome { SENT, HELD, STALE, INSIGNIFICANT }

  /** How frames are paced. */
  public sealed interface Pacing {
    /** Every event leaves within {@code deadlineMs} of arriving. */
    record Deadline(long deadlineMs) implements Pacing {}

    /** A fixed window of {@code windowMs}. */
    record Window(long windowMs) implements Pacing {}
  }

  /** How long an urgent event waits for the rest of its fill before its frame goes out. */
  public static final long URGENT_LINGER_MS = 5;
  /** How long the first event after a quiet spell waits for the rest of its burst (deadline pacing). */
  public static final long BURST_LINGER_MS = 5;

  /** The outcome, and the frame to send now if there is one. */
  public record Result(Outcome outcome, Optional<Flush> flush) {}

  /** Entity states one window may hold before it is flushed early. */
  public static final int MAX_PENDING = 5_000;

  private static final long NONE = Long.MAX_VALUE;

  private final String userId;
  private final PendingFrame pending = new PendingFrame(MAX_PENDING);
  private final VersionGuard guard = new VersionGuard();
  private final BigDecimal significancePercent;
  private final Pacing pacing;
  /** The last state of each position that was let through, the baseline of significance. */
  private final Map<String, Position> lastPassed = new HashMap<>();
  /** Epoch ms by which {@link #flushDue} must run; {@link #NONE} when nothing waits. */
  private long dueAt = NONE;
  private long lastFlushAt = Long.MIN_VALUE / 2;
  /** Window pacing: the end of the open window, or {@link #NONE} when it is closed. */
  private long windowEndAt = NONE;

  public UserWindow(String userId, BigDecimal significancePercent, Pacing pacing) {
    this.userId = userId;
    this.significancePercent = significancePercent;
    this.pacing = pacing;
  }

  public Result offer(ServerEvent event, UserEventBus.Meta meta, Instant now) {
    if (!guard.admit(event)) {
      return new Result(Outcome.STALE, Optional.empty());
    }
    if (!significant(event, meta)) {
      return new Result(Outcome.INSIGNIFICANT, Optional.empty());
    }
    long at = now.toEpochMilli();
    Optional<Flush> early = Optional.empty();
    boolean firstWaiting = pending.isEmpty();
    if (!pending.add(event, meta.brokerTime())) {
      early = Optional.of(drain(now));
      pending.add(event, meta.brokerTime());
      firstWaiting = true;
    }
    if (isUrgent(event, meta)) {
      due(at + URGENT_LINGER_MS);
    } else if (pacing instanceof Pacing.Deadline deadline) {
      if (firstWaiting) {
        boolean quiet = at - lastFlushAt >= deadline.deadlineMs();
        due(at + (quiet ? BURST_LINGER_MS : deadline.deadlineMs()));
      }
    } else if (windowEndAt == NONE) {
      long windowMs = ((Pacing.Window) pacing).windowMs();
      windowEndAt = at + windowMs;
      due(windowEndAt);
      return new Result(Outcome.SENT, Optional.of(drain(now)));
    }
    return new Result(early.isPresent() ? Outcome.SENT : Outcome.HELD, early);
  }

  /** When {@link #flushDue} must be called (epoch ms), if anything waits for it. */
  public OptionalLong dueAt() {
    return dueAt == NONE ? OptionalLong.empty() : OptionalLong.of(dueAt);
  }

  /**
   * The owner's timer fired: sends what waits, if anything. Under window pacing a window that
   * ends with nothing in it closes; one that ends with something sends it and opens the next.
   */
  public Optional<Flush> flushDue(Instant now) {
    long at = now.toEpochMilli();
    if (at < dueAt) {
      return Optional.empty();
    }
    dueAt = NONE;
    if (pacing instanceof Pacing.Window window && windowEndAt != NONE) {
      if (at >= windowEndAt) {
        if (pending.isEmpty()) {
          windowEndAt = NONE;
          return Optional.empty();
        }
        windowEndAt = at + window.windowMs();
      }
      due(windowEndAt);
    }
    return pending.isEmpty() ? Optional.empty() : Optional.of(drain(now));
  }

  private void due(long at) {
    dueAt = Math.min(dueAt, at);
  }

  private Flush drain(Instant now) {
    lastFlushAt = now.toEpochMilli();
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
