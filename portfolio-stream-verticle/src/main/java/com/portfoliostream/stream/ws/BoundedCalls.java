package com.portfoliostream.stream.ws;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;

/**
 * At most {@code maxRunning} database calls of one kind at once, the others waiting in a queue of
 * at most {@code maxQueued}, so that a storm (ten thousand sockets opening or closing in a second)
 * waits its turn instead of overflowing the pool's own wait queue. Beyond the queue a call fails
 * at once. Safe from every event loop.
 */
final class BoundedCalls {

  /** A call refused because the queue was full. */
  static final class Busy extends RuntimeException {
    Busy(int queued) {
      super(queued + " calls are waiting already", null, false, false);
    }
  }

  private record Waiting<T>(Supplier<Future<T>> call, Promise<T> promise) {}

  private final int maxRunning;
  private final int maxQueued;
  private final Deque<Waiting<?>> queue = new ArrayDeque<>();
  private int running;

  BoundedCalls(int maxRunning, int maxQueued) {
    this.maxRunning = maxRunning;
    this.maxQueued = maxQueued;
  }

  <T> Future<T> run(Supplier<Future<T>> call) {
    Promise<T> promise = Promise.promise();
    synchronized (this) {
      if (running >= maxRunning) {
        if (queue.size() >= maxQueued) {
          return Future.failedFuture(new Busy(queue.size()));
        }
        queue.addLast(new Waiting<>(call, promise));
        return promise.future();
      }
      running++;
    }
    start(new Waiting<>(call, promise));
    return promise.future();
  }

  private <T> void start(Waiting<T> waiting) {
    Future<T> result;
    try {
      result = waiting.call().get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(done -> {
      Waiting<?> next;
      synchronized (this) {
        next = queue.pollFirst();
        if (next == null) {
          running--;
        }
      }
      waiting.promise().handle(done);
      if (next != null) {
        start(next);
      }
    });
  }
}
