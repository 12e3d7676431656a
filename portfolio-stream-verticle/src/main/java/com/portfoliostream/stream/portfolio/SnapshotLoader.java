package com.portfoliostream.stream.portfolio;

import com.portfoliostream.events.model.Channel;
import com.portfoliostream.events.model.PortfolioFrame;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The snapshots that follow subscribes, for the whole node, so that a reconnect storm (a failed
 * node's users arriving at once) costs the database what it can serve and no more:
 * <ul>
 *   <li>at most {@code maxInFlight} snapshots load at once; the others wait in a queue (bounded by
 *       {@code maxQueued}, one entry per socket at most) instead of failing in the pool;</li>
 *   <li>sockets of one user asking for the same channels while a read of them is still queued
 *       share that one read (never a read that already started: it might predate their
 *       subscription and miss an event published in between);</li>
 *   <li>each request has its own deadline: missed, it fails with {@link Missed} and leaves the
 *       queue, and the socket says so and retries.</li>
 * </ul>
 * Safe from every event loop: callers get their answer on their own context.
 */
public final class SnapshotLoader {

  /** Why a snapshot did not come: its deadline passed, or the queue was full. */
  public static final class Missed extends RuntimeException {
    Missed(String message) {
      super(message, null, false, false);
    }
  }

  private record Key(UUID userId, Set<Channel> channels) {}

  private record Waiter(Context context, Promise<PortfolioFrame> promise) {}

  private final Vertx vertx;
  private final PortfolioReader reader;
  private final Clock clock;
  private final int maxInFlight;
  private final int maxQueued;
  /** Guarded by this: the queued reads in order, and who waits for each. */
  private final Deque<Key> queue = new ArrayDeque<>();
  private final Map<Key, List<Waiter>> waiting = new HashMap<>();
  private int inFlight;
  private long loaded;
  private long shared;

  public SnapshotLoader(Vertx vertx, PortfolioReader reader, Clock clock, int maxInFlight, int maxQueued) {
    this.vertx = vertx;
    this.reader = reader;
    this.clock = clock;
    this.maxInFlight = maxInFlight;
    this.maxQueued = maxQueued;
  }

  /**
   * The user's current state of {@code channels}, completing on the caller's context; fails with
   * {@link Missed} when it is not loaded within {@code deadlineMs}.
   */
  public Future<PortfolioFrame> load(UUID userId, Set<Channel> channels, long deadlineMs) {
    Context caller = vertx.getOrCreateContext();
    Promise<PortfolioFrame> promise = Promise.promise();
    Waiter waiter = new Waiter(caller, promise);
    Key key = new Key(userId, Set.copyOf(channels));
    synchronized (this) {
      List<Waiter> joined = waiting.get(key);
      if (joined != null) {
        joined.add(waiter);
        shared++;
      } else if (queue.size() >= maxQueued) {
        return Future.failedFuture(new Missed("the node is loading " + queue.size() + " snapshots already"));
      } else {
        List<Waiter> waiters = new ArrayList<>(2);
        waiters.add(waiter);
        waiting.put(key, waiters);
        queue.addLast(key);
      }
    }
    long timer = vertx.setTimer(deadlineMs, id -> expire(key, waiter, deadlineMs));
    pump();
    return promise.future().andThen(done -> vertx.cancelTimer(timer));
  }

  /** Snapshots read from the database, and requests that shared another's read. */
  public synchronized Map<String, Long> counts() {
    return Map.of("loaded", loaded, "shared", shared, "queued", (long) queue.size(), "inFlight", (long) inFlight);
  }

  /** The deadline passed: a read still queued for nobody else leaves the queue; a started one runs on unheard. */
  private void expire(Key key, Waiter waiter, long deadlineMs) {
    synchronized (this) {
      List<Waiter> waiters = waiting.get(key);
      if (waiters != null && waiters.remove(waiter) && waiters.isEmpty()) {
        waiting.remove(key);
        queue.remove(key);
      }
    }
    waiter.promise().tryFail(new Missed("the snapshot was not loaded within " + deadlineMs + " ms"));
  }

  /** Starts queued reads while fewer than the bound are in flight. */
  private void pump() {
    while (true) {
      Key key;
      List<Waiter> waiters;
      synchronized (this) {
        if (inFlight >= maxInFlight || queue.isEmpty()) {
          return;
        }
        key = queue.pollFirst();
        waiters = waiting.remove(key);
        inFlight++;
        loaded++;
      }
      reader.snapshot(key.userId(), key.channels(), clock.instant()).onComplete(result -> {
        synchronized (this) {
          inFlight--;
        }
        answer(waiters, result);
        pump();
      });
    }
  }

  private static void answer(List<Waiter> waiters, AsyncResult<PortfolioFrame> result) {
    for (Waiter waiter : waiters) {
      waiter.context().runOnContext(v -> {
        if (result.succeeded()) {
          waiter.promise().tryComplete(result.result());
        } else {
          waiter.promise().tryFail(result.cause());
        }
      });
    }
  }
}
