package com.portfoliostream.admin;

import com.portfoliostream.web.Paths;
import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.testkit.Eventually;
import com.portfoliostream.stream.StreamVerticle;
import com.portfoliostream.admin.node.NodeStatsVerticle;
import com.portfoliostream.common.metrics.MetricNames;
import com.portfoliostream.testkit.EdgeCluster;
import com.portfoliostream.testkit.Fixtures;
import com.portfoliostream.testkit.TestClient;
import com.portfoliostream.testkit.TestSocket;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@DisplayName("The admin stats of a two-node stream cluster")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminClusterTest {

  static EdgeCluster<StreamVerticle> cluster;
  static AdminVerticle admin;
  static List<String> statsDeployments = new ArrayList<>();
  static UUID alice;
  static UUID bob;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = EdgeCluster.start(2, Map.of("ADMIN_STATS_TIMEOUT_MS", "1500"),
        new EdgeCluster.Role<>(StreamVerticle::new, StreamVerticle::actualPort));
    for (int i = 0; i < 2; i++) {
      EdgeCluster.Node<StreamVerticle> node = cluster.node(i);
      statsDeployments.add(EdgeCluster.await(node.vertx().deployVerticle(new NodeStatsVerticle(node.context()))));
    }
    admin = AdminVerticle.withConsole(cluster.node(0).context());
    EdgeCluster.await(cluster.node(0).vertx().deployVerticle(admin));
    alice = Fixtures.userId(cluster.pool(), "alice");
    bob = Fixtures.userId(cluster.pool(), "bob");
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  private static TestClient adminClient() throws Exception {
    TestClient client = new TestClient(cluster.clients(), admin.actualPort());
    assertThat(client.login("admin", EdgeCluster.PASSWORD).statusCode()).isEqualTo(200);
    return client;
  }

  private static TestClient signedIn(String username, int node) throws Exception {
    TestClient client = new TestClient(cluster.clients(), cluster.node(node).port());
    assertThat(client.login(username, EdgeCluster.PASSWORD).statusCode()).isEqualTo(200);
    return client;
  }

  /** Polls the stats until they satisfy {@code condition} (figures settle asynchronously). */
  private static JsonObject statsWhen(TestClient client, Predicate<JsonObject> condition) throws Exception {
    return Eventually.until(() -> {
      var response = client.get(Paths.ADMIN_STATS);
      assertThat(response.statusCode()).isEqualTo(200);
      return response.bodyAsJsonObject();
    }, condition, Duration.ofSeconds(20));
  }

  @Test
  @Order(1)
  @DisplayName("websocket-stats is for admins only: 401 without a session, 403 for a trader, 200 for an admin")
  void roleChecks() throws Exception {
    TestClient anonymous = new TestClient(cluster.clients(), admin.actualPort());
    assertThat(anonymous.get(Paths.ADMIN_STATS).statusCode()).isEqualTo(401);

    TestClient trader = signedIn("alice", 0).onPort(admin.actualPort());
    assertThat(trader.get(Paths.ADMIN_STATS).statusCode())
        .as("a trader's session from the stream edge is known here, and refused").isEqualTo(403);

    assertThat(adminClient().get(Paths.ADMIN_STATS).statusCode()).isEqualTo(200);
  }

  @Test
  @Order(1)
  @DisplayName("the admin console's pages carry the same-origin content security policy")
  void consoleCsp() throws Exception {
    var page = new TestClient(cluster.clients(), admin.actualPort()).get(Paths.ADMIN_CONSOLE);

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.getHeader("Content-Security-Policy")).contains("default-src 'self'", "frame-ancestors 'none'");
    assertThat(page.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
  }

  @Test
  @Order(2)
  @DisplayName("figures add up across both stream nodes: sockets per node and per user, messages, disconnects")
  void aggregatesBothNodes() throws Exception {
    TestClient aliceOnA = signedIn("alice", 0);
    TestClient bobOnB = signedIn("bob", 1);
    List<TestSocket> sockets = new ArrayList<>();
    try {
      sockets.add(aliceOnA.admittedSocket());
      sockets.add(aliceOnA.admittedSocket());
      sockets.add(bobOnB.admittedSocket());
      TestSocket leaving = bobOnB.admittedSocket();
      for (TestSocket socket : sockets) {
        socket.send("{\"type\":\"subscribe\",\"channels\":[\"positions\"]}");
        socket.awaitType("snapshot");
      }
      Fixtures.publish(cluster.vertx(), Fixtures.position(alice, "AAPL", "181.00", 50));
      Fixtures.publish(cluster.vertx(), Fixtures.position(bob, "MSFT", "401.00", 50));
      sockets.get(0).awaitEntity("position", p -> "181.00".equals(p.getString("currentPrice")), Duration.ofSeconds(5));
      sockets.get(2).awaitEntity("position", p -> "401.00".equals(p.getString("currentPrice")), Duration.ofSeconds(5));
      leaving.close();

      JsonObject stats = statsWhen(adminClient(), s -> s.getInteger("activeConnections") == 3
          && s.getJsonObject("disconnectsByReason").getLong("client_close", 0L) >= 1
          && s.getLong("totalMessagesDelivered") >= 2);

      assertThat(stats.getInteger("activeConnections")).isEqualTo(3);
      JsonArray nodes = stats.getJsonArray("nodes");
      assertThat(nodes).hasSize(2);
      assertThat(stats.getJsonArray("missingNodes")).isEmpty();
      assertThat(sum(nodes, "activeConnections")).isEqualTo(3);
      assertThat(nodes.stream().map(n -> ((JsonObject) n).getLong("activeConnections")))
          .containsExactlyInAnyOrder(2L, 1L);
      assertThat(sum(nodes, "messagesDelivered")).isEqualTo(stats.getLong("totalMessagesDelivered"));
      assertThat(stats.getLong("totalMessagesDelivered")).isGreaterThanOrEqualTo(2);
      assertThat(connectionsOf(stats, alice)).isEqualTo(2);
      assertThat(connectionsOf(stats, bob)).isEqualTo(1);
      assertThat(stats.getDouble("disconnectRate")).isGreaterThanOrEqualTo(1.0);
      assertThat(stats.getJsonArray("recentDisconnects").getJsonObject(0).getString("userId")).isEqualTo(bob.toString());
      assertThat(stats.getLong("latencySamples")).isGreaterThanOrEqualTo(2);
      assertThat(stats.getDouble("p95LatencyMs")).isGreaterThanOrEqualTo(stats.getDouble("p50LatencyMs"));
      assertThat(stats.getString("status")).isEqualTo("healthy");
      assertThat(stats.getBoolean("enabled")).isTrue();
      assertThat(stats.getJsonObject("performance").getString("disconnectRatePerMinute")).matches("\\d+\\.\\d\\d");
      assertThat(stats.getJsonObject("performance").getString("batchEfficiency")).matches("-?\\d+\\.\\d%");
      assertThat(stats.fieldNames()).contains("avgLatencyMs", "p99LatencyMs", "reconnectSuccessRate",
          "batchEfficiency", "errorRate", "uptimePercent", "connectionsByUser");
    } finally {
      sockets.forEach(TestSocket::close);
    }
  }

  @Test
  @Order(3)
  @DisplayName("a broker silent for over two minutes while the market is open makes the status unhealthy")
  void silentBroker() throws Exception {
    var registry = cluster.node(1).context().metrics();
    Gauge.builder(MetricNames.BROKER_STREAMS_OWNED, () -> 1).register(registry);
    Gauge.builder(MetricNames.BROKER_MARKET_OPEN, () -> 1).register(registry);
    Gauge.builder(MetricNames.BROKER_LAST_EVENT_AGE, () -> 150).register(registry);

    JsonObject stats = statsWhen(adminClient(), s -> "unhealthy".equals(s.getString("status")));

    assertThat(stats.getString("status")).isEqualTo("unhealthy");
    assertThat(stats.getJsonObject("broker").getDouble("lastEventAgeSeconds")).isEqualTo(150.0);
    assertThat(stats.getJsonArray("statusReasons").getString(0)).contains("no broker event for 150 s");
    registry.remove(registry.find(MetricNames.BROKER_LAST_EVENT_AGE).gauge());
    registry.remove(registry.find(MetricNames.BROKER_MARKET_OPEN).gauge());
    registry.remove(registry.find(MetricNames.BROKER_STREAMS_OWNED).gauge());
  }

  @Test
  @Order(4)
  @DisplayName("a node whose stats responder is silent is reported missing, never left out")
  void silentNodeIsMissing() throws Exception {
    EdgeCluster.Node<StreamVerticle> silent = cluster.node(1);
    EdgeCluster.await(silent.vertx().undeploy(statsDeployments.get(1)));
    String silentId = ((VertxInternal) silent.vertx()).clusterManager().getNodeId();

    JsonObject stats = statsWhen(adminClient(), s -> !s.getJsonArray("missingNodes").isEmpty());

    assertThat(stats.getJsonArray("missingNodes")).hasSize(1);
    assertThat(stats.getJsonArray("missingNodes").getJsonObject(0).getString("clusterNodeId")).isEqualTo(silentId);
    assertThat(stats.getJsonArray("nodes")).hasSize(1);
    assertThat(stats.getString("status")).isEqualTo("degraded");
    assertThat(stats.getJsonArray("statusReasons")).contains("1 node(s) did not answer");
  }

  private static long sum(JsonArray nodes, String field) {
    return nodes.stream().mapToLong(n -> ((JsonObject) n).getLong(field)).sum();
  }

  private static int connectionsOf(JsonObject stats, UUID user) {
    AtomicInteger connections = new AtomicInteger(-1);
    stats.getJsonArray("connectionsByUser").forEach(u -> {
      JsonObject entry = (JsonObject) u;
      if (entry.getString("userId").equals(user.toString())) {
        connections.set(entry.getInteger("connections"));
        assertThat(entry.getString("uptime")).matches("\\d+h \\d+m");
      }
    });
    return connections.get();
  }
}
