package com.portfoliostream.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.common.metrics.MetricNames;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("The event-loop delay meter")
class EventLoopDelayVerticleTest {

  private static final long HELD_MS = 400;
  private Vertx vertx;
  private SimpleMeterRegistry registry;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    registry = new SimpleMeterRegistry();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("records small delays on idle loops, and one as long as a task that held a loop")
  void recordsAHeldLoop(VertxTestContext testContext) {
    EventLoopDelayVerticle.deploy(vertx, registry, 2)
        .compose(id -> vertx.timer(3 * EventLoopDelayVerticle.INTERVAL_MS))
        .onComplete(testContext.succeeding(v -> testContext.verify(() -> {
          DistributionSummary delay = registry.find(MetricNames.EVENT_LOOP_DELAY).summary();
          assertThat(delay.count()).as("both loops ticked").isGreaterThanOrEqualTo(4);
          assertThat(delay.max()).as("idle loops").isLessThan(HELD_MS / 2.0);
          holdEveryLoop();
          vertx.setTimer(HELD_MS + 3 * EventLoopDelayVerticle.INTERVAL_MS, id -> testContext.verify(() -> {
            assertThat(delay.max()).as("a loop held for %d ms", HELD_MS)
                .isGreaterThanOrEqualTo(HELD_MS - EventLoopDelayVerticle.INTERVAL_MS);
            testContext.completeNow();
          }));
        })));
  }

  /** Blocks each of the two loops once, on purpose: what the meter is there to see. */
  private void holdEveryLoop() {
    for (int loop = 0; loop < 2; loop++) {
      vertx.deployVerticle(new io.vertx.core.VerticleBase() {
        @Override
        public io.vertx.core.Future<?> start() {
          context.runOnContext(v -> sleep());
          return io.vertx.core.Future.succeededFuture();
        }
      });
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(HELD_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
