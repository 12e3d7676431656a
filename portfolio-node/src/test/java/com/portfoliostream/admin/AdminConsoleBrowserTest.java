package com.portfoliostream.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.stream.StreamVerticle;
import com.portfoliostream.admin.node.NodeStatsVerticle;
import com.portfoliostream.testkit.BrowserScripts;
import com.portfoliostream.testkit.EdgeCluster;
import com.portfoliostream.testkit.Fixtures;
import com.portfoliostream.testkit.TestClient;
import com.portfoliostream.testkit.TestSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@DisplayName("The admin console in headless Chromium")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminConsoleBrowserTest {

  private static final Path SCREENSHOTS = BrowserScripts.SCREENSHOTS;

  static EdgeCluster<StreamVerticle> cluster;
  static AdminVerticle admin;
  static List<String> statsDeployments = new ArrayList<>();
  static List<TestSocket> sockets = new ArrayList<>();
  static long ticker;

  @BeforeAll
  static void startCluster() throws Exception {
    BrowserScripts.ensureNodeModules();
    cluster = EdgeCluster.start(2, Map.of(),
        new EdgeCluster.Role<>(StreamVerticle::new, StreamVerticle::actualPort));
    for (int i = 0; i < 2; i++) {
      EdgeCluster.Node<StreamVerticle> node = cluster.node(i);
      statsDeployments.add(EdgeCluster.await(node.vertx().deployVerticle(new NodeStatsVerticle(node.context()))));
    }
    admin = AdminVerticle.withConsole(cluster.node(0).context());
    EdgeCluster.await(cluster.vertx().deployVerticle(admin));
    for (int i = 0; i < 2; i++) {
      TestClient trader = new TestClient(cluster.clients(), cluster.node(i).port());
      assertThat(trader.login(i == 0 ? "alice" : "bob", EdgeCluster.PASSWORD).statusCode()).isEqualTo(200);
      TestSocket socket = trader.admittedSocket();
      socket.send("{\"type\":\"subscribe\",\"channels\":[\"positions\"]}");
      socket.awaitType("snapshot");
      sockets.add(socket);
      // Sockets that came and went: the disconnects panel lists them (user ids, reasons, nodes).
      TestSocket brief = trader.admittedSocket();
      brief.close();
      brief.awaitClose(java.time.Duration.ofSeconds(5));
      if (i == 1) {
        continue;
      }
      // And the longest reason there is: a sixth socket over the five a user may hold (8
      // disconnects in all, under the 10 a minute that would make the status degraded).
      List<TestSocket> full = new ArrayList<>();
      for (int more = 0; more < 4; more++) {
        full.add(trader.admittedSocket());
      }
      TestSocket refused = trader.socket();
      refused.awaitClose(java.time.Duration.ofSeconds(5));
      for (TestSocket extra : full) {
        extra.close();
        extra.awaitClose(java.time.Duration.ofSeconds(5));
      }
    }
    UUID alice = Fixtures.userId(cluster.pool(), "alice");
    AtomicLong version = new AtomicLong(100);
    // A market that ticks: position updates for alice, so latency and batching have figures.
    ticker = cluster.vertx().setPeriodic(150, id -> {
      long v = version.incrementAndGet();
      Fixtures.publish(cluster.vertx(), Fixtures.position(alice, v % 2 == 0 ? "AAPL" : "MSFT",
          (150 + v % 40) + ".00", v));
    });
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.vertx().cancelTimer(ticker);
    sockets.forEach(TestSocket::close);
    cluster.close();
  }

  @Test
  @Order(1)
  @DisplayName("an admin signs in and sees the three charts drawn from several polls, and both nodes")
  void chartsRender() throws Exception {
    Path screenshot = SCREENSHOTS.resolve("admin-console.png");
    JsonObject seen = runConsole(screenshot, false);

    for (String chart : List.of("chart-connections", "chart-latency", "chart-batch")) {
      JsonArray paths = seen.getJsonObject("charts").getJsonArray(chart);
      assertThat(paths).as(chart).isNotEmpty();
      paths.forEach(p -> {
        JsonObject path = (JsonObject) p;
        assertThat(path.getInteger("points")).as(chart + " points").isGreaterThanOrEqualTo(3);
        assertThat(path.getString("d")).matches("M[\\d.]+ [\\d.]+( L[\\d.]+ [\\d.]+){2,}");
      });
    }
    assertThat(seen.getJsonObject("charts").getJsonArray("chart-latency")).hasSize(3);
    assertThat(seen.getInteger("nodes")).isEqualTo(2);
    assertThat(seen.getInteger("missing")).isZero();
    assertThat(seen.getString("connections")).isEqualTo("2");
    assertThat(seen.getString("status")).isEqualTo("healthy");
    assertThat(seen.getJsonArray("errors")).as("no script errors in the page").isEmpty();
    assertThat(seen.getJsonArray("missingFiles")).as("requests answered 404 (the favicon among them)").isEmpty();
    assertThat(seen.getJsonArray("outside")).as("cards reaching past the right edge at 1400 px").isEmpty();
    assertThat(seen.getInteger("scrollWidth")).as("no sideways scrolling").isLessThanOrEqualTo(seen.getInteger("clientWidth"));
    assertThat(Files.size(screenshot)).isGreaterThan(10_000);
  }

  @Test
  @Order(2)
  @DisplayName("a node that stops answering is flagged missing in the node table")
  void missingNodeFlagged() throws Exception {
    EdgeCluster.await(cluster.node(1).vertx().undeploy(statsDeployments.get(1)));
    Path screenshot = SCREENSHOTS.resolve("admin-console-missing-node.png");
    JsonObject seen = runConsole(screenshot, true);

    assertThat(seen.getInteger("missing")).isEqualTo(1);
    assertThat(seen.getInteger("nodes")).isEqualTo(2);
    assertThat(seen.getString("status")).isEqualTo("degraded");
    assertThat(Files.exists(screenshot)).isTrue();
  }

  @Test
  @Order(3)
  @DisplayName("an admin creates a user, sets the rollout and a denylist, and reads the audit log in the console's pages")
  void managementPages() throws Exception {
    Path prefix = SCREENSHOTS.resolve("admin-console-manage");
    BrowserScripts.Run run = BrowserScripts.run(List.of("node", "browser-tests/admin-manage.mjs",
        "http://127.0.0.1:" + admin.actualPort(), "admin", EdgeCluster.PASSWORD, prefix.toAbsolutePath().toString(),
        "frank"), Map.of());
    String output = run.output();
    assertThat(run.exitCode()).as(output).isZero();
    JsonObject seen = new JsonObject(output.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse("{}"));
    assertThat(seen.getBoolean("ok", false)).as(output).isTrue();
    assertThat(seen.getJsonArray("errors")).as("no script errors in the page").isEmpty();
    assertThat(seen.getString("refusal")).as("the server's refusal, with the field").contains("password");
    assertThat(seen.getString("created")).contains("frank");
    assertThat(seen.getJsonArray("newRow").getString(1)).isEqualTo("trader");
    assertThat(seen.getString("rollout")).contains("50 %");
    assertThat(seen.getBoolean("passwordShown")).isFalse();
    List<String> actions = new ArrayList<>();
    seen.getJsonArray("audit").forEach(row -> actions.add(((JsonArray) row).getString(3) + " " + ((JsonArray) row).getString(5)));
    assertThat(actions).contains("users.create ok", "users.create refused", "rollout.set ok", "rollout.deny ok");
    assertThat(Fixtures.userId(cluster.pool(), "frank")).isNotNull();
    for (String tab : List.of("users", "rollout", "audit")) {
      assertThat(Files.size(SCREENSHOTS.resolve("admin-console-manage-" + tab + ".png"))).isGreaterThan(10_000);
    }
  }

  private static JsonObject runConsole(Path screenshot, boolean expectMissing) throws Exception {
    List<String> command = new ArrayList<>(List.of("node", "browser-tests/admin-console.mjs",
        "http://127.0.0.1:" + admin.actualPort(), "admin", EdgeCluster.PASSWORD,
        screenshot.toAbsolutePath().toString()));
    if (expectMissing) {
      command.add("--expect-missing");
    }
    BrowserScripts.Run run = BrowserScripts.run(command, Map.of());
    String output = run.output();
    assertThat(run.exitCode()).as(output).isZero();
    String last = output.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse("{}");
    JsonObject seen = new JsonObject(last);
    assertThat(seen.getBoolean("ok", false)).as(output).isTrue();
    return seen;
  }
}
