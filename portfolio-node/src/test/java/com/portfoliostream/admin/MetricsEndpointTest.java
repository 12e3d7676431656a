package com.portfoliostream.admin;

import com.portfoliostream.web.Paths;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.portfoliostream.testkit.Eventually;
import com.portfoliostream.stream.StreamVerticle;
import com.portfoliostream.common.metrics.MetricNames;
import com.portfoliostream.testkit.EdgeCluster;
import com.portfoliostream.testkit.Fixtures;
import com.portfoliostream.testkit.TestClient;
import com.portfoliostream.testkit.TestSocket;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A node's /metrics, /health and /readiness")
class MetricsEndpointTest {

  static EdgeCluster<StreamVerticle> cluster;
  static AdminVerticle management;
  static UUID alice;

  @BeforeAll
  static void startNode() throws Exception {
    cluster = EdgeCluster.start(1, Map.of(),
        new EdgeCluster.Role<>(StreamVerticle::new, StreamVerticle::actualPort));
    management = AdminVerticle.managementOnly(cluster.node(0).context());
    EdgeCluster.await(cluster.vertx().deployVerticle(management));
    alice = Fixtures.userId(cluster.pool(), "alice");
  }

  @AfterAll
  static void stopNode() throws Exception {
    cluster.close();
  }

  @Test
  @DisplayName("after real socket traffic, /metrics holds every series the technical design names, and Vert.x's own")
  void everyNamedSeries() throws Exception {
    TestClient anonymous = new TestClient(cluster.clients(), cluster.node(0).port());
    assertThatThrownBy(anonymous::socket).as("no session: refused before the upgrade").hasMessageContaining("401");
    TestClient client = new TestClient(cluster.clients(), cluster.node(0).port());
    assertThat(client.login("alice", EdgeCluster.PASSWORD).statusCode()).isEqualTo(200);
    TestSocket first = client.admittedSocket();
    first.send("{\"type\":\"subscribe\",\"channels\":[\"positions\"]}");
    first.awaitType("snapshot");
    Fixtures.publish(cluster.vertx(), Fixtures.position(alice, "AAPL", "182.00", 70));
    Fixtures.publish(cluster.vertx(), Fixtures.position(alice, "AAPL", "150.00", 60));
    first.awaitEntity("position", p -> "182.00".equals(p.getString("currentPrice")), Duration.ofSeconds(5));
    first.close();
    TestSocket again = client.admittedSocket();

    String metrics = awaitMetrics(m -> m.contains(MetricNames.RECONNECTS + "_total 1.0")
        && m.contains(MetricNames.EVENTS_DROPPED + "_total{"));
    again.close();

    assertThat(seriesNames(metrics)).contains(
        MetricNames.ACTIVE_CONNECTIONS,
        MetricNames.EVENTS_EMITTED + "_total",
        MetricNames.EVENTS_DELIVERED + "_total",
        MetricNames.EVENTS_DROPPED + "_total",
        MetricNames.FRAMES_SENT + "_total",
        MetricNames.EVENT_LATENCY + "_bucket",
        MetricNames.AUTH_FAILURES + "_total",
        MetricNames.DISCONNECTS + "_total",
        MetricNames.RECONNECTS + "_total",
        MetricNames.BATCH_SIZE + "_count",
        MetricNames.BATCH_EFFICIENCY,
        "vertx_http_server_requests_total");
    assertThat(metrics).contains(MetricNames.DISCONNECTS + "_total{reason=\"client_close\"} 1.0");
    assertThat(metrics).contains(MetricNames.EVENTS_DROPPED + "_total{reason=\"stale_version\",type=\"position_update\"} 1.0");
    assertThat(metrics).containsPattern(MetricNames.AUTH_FAILURES + "_total [1-9]");
    assertThat(metrics).containsPattern(MetricNames.EVENT_LATENCY + "_count\\{type=\"position_update\"} [1-9]");
  }

  @Test
  @DisplayName("/health and /readiness answer UP with their checks, on the management port and the edge's public port")
  void healthChecks() throws Exception {
    for (int port : List.of(management.actualPort(), cluster.node(0).port())) {
      TestClient probe = new TestClient(cluster.clients(), port);
      var readiness = probe.get(Paths.READINESS);
      assertThat(readiness.statusCode()).isEqualTo(200);
      JsonObject body = readiness.bodyAsJsonObject();
      assertThat(body.getString("outcome")).isEqualTo("UP");
      assertThat(body.getJsonArray("checks").stream().map(c -> ((JsonObject) c).getString("id")))
          .containsExactlyInAnyOrder("draining", "database", "cluster");
      var health = probe.get(Paths.LIVENESS);
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.bodyAsJsonObject().getString("outcome")).isEqualTo("UP");
      assertThat(probe.cookie("session")).as("probes never open a session").isNull();
    }
  }

  @Test
  @DisplayName("a node without the admin role serves no admin API or console on its management port")
  void noConsoleWithoutAdminRole() throws Exception {
    TestClient probe = new TestClient(cluster.clients(), management.actualPort());
    assertThat(probe.get(Paths.ADMIN_STATS).statusCode()).isEqualTo(404);
    assertThat(probe.get(Paths.ADMIN_CONSOLE).statusCode()).isEqualTo(404);
  }

  private static String awaitMetrics(java.util.function.Predicate<String> ready) throws Exception {
    TestClient scraper = new TestClient(cluster.clients(), management.actualPort());
    return Eventually.until(() -> {
      var response = scraper.get(Paths.METRICS);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.getHeader("Content-Type")).startsWith("text/plain");
      return response.bodyAsString();
    }, ready, Duration.ofSeconds(15));
  }

  private static java.util.Set<String> seriesNames(String exposition) {
    return exposition.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
        .map(l -> l.split("[{ ]", 2)[0]).collect(Collectors.toSet());
  }
}
