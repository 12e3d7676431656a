package com.portfoliostream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.portfoliostream.common.cluster.ClusterView;
import com.portfoliostream.common.NodeContext;
import com.portfoliostream.common.metrics.MetricNames;
import com.portfoliostream.ingest.market.MarketDataVerticle;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Starting and stopping ingest: readiness that can fail, and a registry left as it was found. */
@DisplayName("Ingest's lifecycle")
class IngestLifecycleTest {

  private static final List<String> GAUGES =
      List.of(MetricNames.BROKER_STREAMS_OWNED, MetricNames.BROKER_LAST_EVENT_AGE, MetricNames.BROKER_MARKET_OPEN);

  static IngestHarness harness;

  @BeforeAll
  static void start() throws Exception {
    harness = IngestHarness.start(1, Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    harness.close();
  }

  @Test
  @DisplayName("stopping ingest takes its gauges and its market-data verticle's out of the node's registry")
  void gaugesRemovedOnStop() throws Exception {
    MeterRegistry registry = harness.contexts.get(0).metrics();
    assertThat(GAUGES).allSatisfy(name -> assertThat(registry.find(name).gauge()).as(name).isNotNull());

    harness.nodes.get(0).undeploy(harness.deployments.get(0)).await(30, TimeUnit.SECONDS);

    assertThat(GAUGES).allSatisfy(name -> assertThat(registry.find(name).gauge()).as(name).isNull());
  }

  @Test
  @DisplayName("the market-data verticle fails to deploy when it cannot read the broker accounts it would connect with")
  void marketDataStartFailsWithoutTheDatabase() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Pool closed = harness.db.pool(vertx);
      closed.close().await(10, TimeUnit.SECONDS);
      NodeContext node = new NodeContext("lonely-node", harness.config(0), closed, harness.db.cipher(),
          new SimpleMeterRegistry(), ClusterView.singleNode());

      assertThatThrownBy(() -> vertx.deployVerticle(new MarketDataVerticle(node, Clock.systemUTC(), () -> { },
          Duration.ofSeconds(6), Duration.ofSeconds(1))).await(30, TimeUnit.SECONDS)).isNotNull();
      assertThat(vertx.deploymentIDs()).isEmpty();
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }
}
