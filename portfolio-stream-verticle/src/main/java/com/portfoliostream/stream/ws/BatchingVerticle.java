package com.portfoliostream.stream.ws;

import com.portfoliostream.common.config.StreamSettings;
import com.portfoliostream.stream.batch.EdgeMetrics;
import com.portfoliostream.stream.batch.UserWindow;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The edge's batching stage as its own verticle, on its own event loop: the per-user clustered
 * consumers and batching windows ({@link UserFanout}), exactly one of each per user with a socket
 * on this node. The socket-serving verticles, on other loops, call {@link #attach} and
 * {@link #detach} per socket; frames come back to the loops holding the user's sockets as tasks on
 * those loops, never through a per-socket bus registration.
 */
public final class BatchingVerticle extends VerticleBase {

  private final ConnectionRegistry registry;
  private final EdgeMetrics metrics;
  private final StreamSettings settings;
  private final Clock clock;
  private volatile UserFanout fanout;

  public BatchingVerticle(ConnectionRegistry registry, EdgeMetrics metrics, StreamSettings settings, Clock clock) {
    this.registry = registry;
    this.metrics = metrics;
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    fanout = new UserFanout(vertx, registry, metrics, clock, pacing(settings), settings.significancePercent());
    return Future.succeededFuture();
  }

  /** BATCH_MODE: deadline (BATCH_DEADLINE_MS) or the fixed window (BATCH_WINDOW_MS). */
  static UserWindow.Pacing pacing(StreamSettings settings) {
    return "window".equals(settings.batchMode())
        ? new UserWindow.Pacing.Window(settings.batchWindowMs())
        : new UserWindow.Pacing.Deadline(settings.batchDeadlineMs());
  }

  @Override
  public Future<?> stop() {
    return fanout.detachAll();
  }

  /**
   * Counts one more socket of the user on this node; completes, on the caller's context, once the
   * user's consumer is registered cluster-wide.
   */
  Future<Void> attach(UUID userId) {
    return onBatchingLoop(() -> fanout.attach(userId));
  }

  /** Counts one socket of the user less; the last one ends the user's consumer. */
  Future<Void> detach(UUID userId) {
    return onBatchingLoop(() -> fanout.detach(userId));
  }

  /** Users with a consumer registered on this node. */
  public int consumerCount() {
    UserFanout current = fanout;
    return current == null ? 0 : current.consumerCount();
  }

  private Future<Void> onBatchingLoop(Supplier<Future<Void>> action) {
    Context caller = vertx.getOrCreateContext();
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      Future<Void> result;
      try {
        result = action.get();
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      result.onComplete(outcome -> caller.runOnContext(back -> done.handle(outcome)));
    });
    return done.future();
  }
}
