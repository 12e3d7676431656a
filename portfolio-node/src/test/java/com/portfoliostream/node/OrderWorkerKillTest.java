package com.portfoliostream.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.testkit.Eventually;
import com.portfoliostream.testkit.ProcessCluster;
import com.portfoliostream.testkit.FreePorts;
import com.portfoliostream.testkit.NodeProcess;
import com.portfoliostream.common.config.ConfigLoader;
import com.portfoliostream.common.db.Database;
import com.portfoliostream.common.db.PgPools;
import com.portfoliostream.demo.DemoPortfolio;
import com.portfoliostream.simulator.SimulatorSettings;
import com.portfoliostream.simulator.SimulatorVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two order-worker node processes, each reaching the broker through a proxy that keeps back the
 * broker's answer to the first submission. Whichever node sent it is killed with SIGKILL while it
 * waits: the broker has the order, the database does not know. Once the lease lapses the other
 * node takes the job over, finds the order at the broker by its client order id, and records it.
 */
@DisplayName("An order worker killed in the middle of a submission")
class OrderWorkerKillTest {

  private static final String ALICE_KEY = DemoPortfolio.USERS.get(0).account().orElseThrow().apiKeyId();

  @TempDir Path dataDir;

  @Test
  @DisplayName("kill -9 during a submission: after the lease lapses another worker completes the job, and the broker holds exactly one order")
  void takeover() throws Exception {
    Vertx vertx = Vertx.vertx();
    SimulatorVerticle simulator = new SimulatorVerticle(SimulatorSettings.manualMarket(100_000));
    vertx.deployVerticle(simulator).await(30, TimeUnit.SECONDS);
    AtomicBoolean held = new AtomicBoolean();
    try (Database database = Database.open(ConfigLoader.load(Map.of("DATA_DIR", dataDir.toString())));
         HoldingBrokerProxy proxyA = new HoldingBrokerProxy(vertx, "a", simulator.actualPort(), held);
         HoldingBrokerProxy proxyB = new HoldingBrokerProxy(vertx, "b", simulator.actualPort(), held)) {
      int httpPort = FreePorts.free();
      try (ProcessCluster nodes = orderNodes(database)) {
        NodeProcess a = nodes.start(0, "orders-a", node("stream,orders", proxyA, httpPort));
        NodeProcess b = nodes.start(1, "orders-b", node("orders", proxyB, 0));
        a.awaitLine("Node .* up", ProcessCluster.START);
        b.awaitLine("Node .* up", ProcessCluster.START);
        WebClient web = WebClient.create(vertx);
        Session alice = Session.signIn(web, httpPort, "alice");

        String orderId = alice.placeMarketOrder("AAPL", "1");
        String holder = proxyA.submissionHeld.applyToEither(proxyB.submissionHeld, name -> name)
            .get(30, TimeUnit.SECONDS);
        NodeProcess victim = holder.equals("a") ? a : b;
        HoldingBrokerProxy survivorProxy = holder.equals("a") ? proxyB : proxyA;
        assertThat(brokerOrders(simulator, orderId)).as("the broker has the order").hasSize(1);

        victim.kill();
        long killed = System.nanoTime();
        Pool pool = PgPools.create(vertx, database.url(), 2);
        Row job = awaitDone(pool, orderId, Duration.ofSeconds(30));
        System.out.println("Order job completed by the survivor "
            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed) + " ms after SIGKILL of its first worker");

        assertThat(job.getInteger("attempts")).isEqualTo(2);
        List<JsonObject> atBroker = brokerOrders(simulator, orderId);
        assertThat(atBroker).as("orders at the broker with our client order id").hasSize(1);
        Row order = pool.preparedQuery("SELECT status, broker_order_id FROM orders WHERE id = $1::uuid")
            .execute(Tuple.of(orderId)).await(10, TimeUnit.SECONDS).iterator().next();
        assertThat(order.getString("broker_order_id")).isEqualTo(atBroker.get(0).getString("id"));
        assertThat(order.getString("status")).isNotIn("pending_new", "failed", "rejected");
        assertThat(proxyA.count(HttpMethod.POST, "/v2/orders") + proxyB.count(HttpMethod.POST, "/v2/orders"))
            .as("submissions sent: the survivor asked the broker instead of submitting again").isEqualTo(1);
        assertThat(survivorProxy.count(HttpMethod.GET, "/v2/orders:by_client_order_id")).isPositive();
        if (victim == b) {
          assertThat(alice.order(orderId).getString("brokerOrderId")).isEqualTo(atBroker.get(0).getString("id"));
        }
      }
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  private static ProcessCluster orderNodes(Database database) {
    return ProcessCluster.of(Main.class, "order-kill", 2, database)
        .with("DEMO_PASSWORD", "kill-test")
        .with("ORDER_LEASE_SECONDS", "4")
        .with("ORDER_POLL_INTERVAL_MS", "200");
  }

  private static Map<String, String> node(String roles, HoldingBrokerProxy proxy, int httpPort) {
    return Map.of("ROLES", roles, "PORT", Integer.toString(httpPort),
        "BROKER_API_URL", "http://127.0.0.1:" + proxy.port());
  }

  private static List<JsonObject> brokerOrders(SimulatorVerticle simulator, String clientOrderId) throws Exception {
    return simulator.orders(ALICE_KEY).await(10, TimeUnit.SECONDS).stream().map(JsonObject.class::cast)
        .filter(o -> clientOrderId.equals(o.getString("client_order_id"))).toList();
  }

  private static Row awaitDone(Pool pool, String orderId, Duration within) throws Exception {
    Row job = Eventually.until(() -> pool.preparedQuery("SELECT status, attempts FROM order_jobs WHERE order_id = $1::uuid")
        .execute(Tuple.of(orderId)).await(10, TimeUnit.SECONDS).iterator().next(),
        row -> "done".equals(row.getString("status")), within);
    assertThat(job.getString("status")).as("the order job after " + within.toSeconds() + " s").isEqualTo("done");
    return job;
  }


  /** A signed-in trader talking to a node's REST API as a browser would (cookies and the CSRF token). */
  private record Session(WebClient web, int port, String[] cookies) {

    static Session signIn(WebClient web, int port, String user) throws Exception {
      Session session = new Session(web, port, new String[2]);
      session.remember(web.get(port, "127.0.0.1", "/api/health").send().await(10, TimeUnit.SECONDS));
      HttpResponse<Buffer> login = session.post("/api/auth/login",
          new JsonObject().put("username", user).put("password", "kill-test"));
      assertThat(login.statusCode()).as(login.bodyAsString()).isEqualTo(200);
      return session;
    }

    String placeMarketOrder(String symbol, String qty) throws Exception {
      HttpResponse<Buffer> placed = post("/api/orders", new JsonObject().put("symbol", symbol).put("side", "buy")
          .put("type", "market").put("qty", qty).put("timeInForce", "day"));
      assertThat(placed.statusCode()).as(placed.bodyAsString()).isEqualTo(202);
      return placed.bodyAsJsonObject().getString("orderId");
    }

    JsonObject order(String orderId) throws Exception {
      HttpResponse<Buffer> answer = web.get(port, "127.0.0.1", "/api/orders/" + orderId)
          .putHeader("Cookie", cookieHeader()).send().await(10, TimeUnit.SECONDS);
      return answer.bodyAsJsonObject();
    }

    private HttpResponse<Buffer> post(String path, JsonObject body) throws Exception {
      HttpResponse<Buffer> response = web.post(port, "127.0.0.1", path)
          .putHeader("Content-Type", "application/json").putHeader("X-XSRF-TOKEN", cookies[1])
          .putHeader("Cookie", cookieHeader()).sendBuffer(Buffer.buffer(body.encode())).await(30, TimeUnit.SECONDS);
      remember(response);
      return response;
    }

    private void remember(HttpResponse<Buffer> response) {
      for (String setCookie : response.cookies()) {
        String[] pair = setCookie.split(";", 2)[0].split("=", 2);
        if (pair[0].equals("session")) {
          cookies[0] = pair[1];
        } else if (pair[0].equals("XSRF-TOKEN")) {
          cookies[1] = pair[1];
        }
      }
    }

    private String cookieHeader() {
      return "XSRF-TOKEN=" + cookies[1] + (cookies[0] == null ? "" : "; session=" + cookies[0]);
    }
  }
}
