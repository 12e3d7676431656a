package com.portfoliostream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.common.metrics.MetricNames;
import com.portfoliostream.testkit.EdgeCluster;
import com.portfoliostream.testkit.Eventually;
import com.portfoliostream.testkit.TestClient;
import com.portfoliostream.testkit.TestSocket;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The edge's gauges")
class EdgeGaugesTest {

  static EdgeCluster<StreamVerticle> cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = EdgeCluster.start(1, Map.of(), StreamEdge.ROLE);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  @Test
  @DisplayName("leave the registry when the edge stops, and a restarted edge registers its own")
  void removedOnStop() throws Exception {
    MeterRegistry registry = cluster.node(0).context().metrics();
    assertThat(registry.find(MetricNames.ACTIVE_CONNECTIONS).gauge()).isNotNull();
    assertThat(registry.find(MetricNames.BATCH_EFFICIENCY).gauge()).isNotNull();

    EdgeCluster.await(cluster.node(0).vertx().undeploy(cluster.node(0).deploymentId()));
    assertThat(registry.find(MetricNames.ACTIVE_CONNECTIONS).gauge()).isNull();
    assertThat(registry.find(MetricNames.BATCH_EFFICIENCY).gauge()).isNull();

    StreamVerticle restarted = new StreamVerticle(cluster.node(0).context());
    EdgeCluster.await(cluster.node(0).vertx().deployVerticle(restarted));
    TestClient client = new TestClient(cluster.clients(), restarted.actualPort());
    client.login("alice", EdgeCluster.PASSWORD);
    try (TestSocket socket = client.socket()) {
      double connections = Eventually.until(() -> registry.find(MetricNames.ACTIVE_CONNECTIONS).gauge().value(),
          value -> value >= 1.0, Duration.ofSeconds(10));
      assertThat(connections).as("the gauge reads the restarted edge's sockets").isEqualTo(1.0);
    }
  }
}
