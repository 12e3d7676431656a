package com.portfoliostream.node;

import com.portfoliostream.common.metrics.MetricNames;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;

/**
 * Event-loop delay, as operators and the soak benchmark read it ({@link MetricNames#EVENT_LOOP_DELAY}):
 * a timer every {@link #INTERVAL_MS} on one event loop, and how late it fired. Netty runs a due
 * timer only once the loop has finished what it was doing, so the lateness is how long any work
 * queued on that loop waited. Deployed once per event loop ({@link #deploy}); all record into one
 * histogram, whose max is the worst loop's.
 */
final class EventLoopDelayVerticle extends VerticleBase {

  /** Often enough to catch a stall, rare enough that an idle node barely wakes for it (#16). */
  static final long INTERVAL_MS = 250;

  private final DistributionSummary delay;
  private long timer = -1;

  EventLoopDelayVerticle(MeterRegistry registry) {
    delay = DistributionSummary.builder(MetricNames.EVENT_LOOP_DELAY)
        .description("Milliseconds a timer on an event loop fired late")
        .publishPercentileHistogram().minimumExpectedValue(1.0).maximumExpectedValue(60_000.0)
        .register(registry);
  }

  /**
   * One instance per event loop of {@code vertx}: a deployment's instances take the loops in
   * turn, so {@code eventLoops} of them, deployed together, cover every one.
   */
  static Future<String> deploy(Vertx vertx, MeterRegistry registry, int eventLoops) {
    return vertx.deployVerticle(() -> new EventLoopDelayVerticle(registry), new DeploymentOptions().setInstances(eventLoops));
  }

  @Override
  public Future<?> start() {
    schedule();
    return Future.succeededFuture();
  }

  private void schedule() {
    long due = System.nanoTime() + INTERVAL_MS * 1_000_000;
    timer = vertx.setTimer(INTERVAL_MS, id -> {
      delay.record(Math.max(0, System.nanoTime() - due) / 1e6);
      schedule();
    });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }
}
