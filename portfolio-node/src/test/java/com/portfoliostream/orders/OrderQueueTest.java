package com.portfoliostream.orders;

import static com.portfoliostream.orders.OrderQueueHarness.ALICE_KEY;
import static com.portfoliostream.orders.OrderQueueHarness.BOB_KEY;
import static com.portfoliostream.testkit.Eventually.eventually;
import static com.portfoliostream.orders.OrderQueueHarness.market;
import static com.portfoliostream.orders.OrderQueueHarness.place;
import static com.portfoliostream.orders.OrderQueueHarness.restingLimit;
import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.testkit.EdgeCluster;
import com.portfoliostream.testkit.TestClient;
import com.portfoliostream.testkit.TestSocket;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Two nodes, each with the stream edge and four order workers, ingest on the first, against the
 * broker simulator: orders go from REST through the queue to the broker exactly once, and what
 * becomes of them reaches the trader's socket.
 */
@DisplayName("The order work queue against the broker")
class OrderQueueTest {

  static OrderQueueHarness harness;

  @BeforeAll
  static void start() throws Exception {
    harness = OrderQueueHarness.start(2, true, Map.of("ORDER_RATE_PER_MINUTE", "10000", "ORDER_WORKERS", "4",
        "ORDER_RETRY_BASE_MS", "100",
        "ORDER_MAX_ATTEMPTS", "12", "ORDER_LEASE_SECONDS", "8", "ORDER_POLL_INTERVAL_MS", "500"));
  }

  @AfterAll
  static void stop() throws Exception {
    harness.close();
  }

  @Test
  @DisplayName("200 orders from four clients over two nodes: each reaches the broker exactly once, workers of both nodes take part, and each trader's socket sees its own orders only")
  void exactlyOnce() throws Exception {
    List<TestClient> clients = List.of(harness.signedIn("alice", 0), harness.signedIn("alice", 1),
        harness.signedIn("bob", 0), harness.signedIn("bob", 1));
    TestSocket aliceSocket = subscribed(clients.get(1));
    TestSocket bobSocket = subscribed(clients.get(2));
    ExecutorService pool = Executors.newFixedThreadPool(clients.size());
    List<Future<List<String>>> posted = new ArrayList<>();
    for (TestClient client : clients) {
      posted.add(pool.submit(() -> {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          ids.add(place(client, restingLimit(i % 2 == 0 ? "AAPL" : "MSFT")));
        }
        return ids;
      }));
    }
    List<String> alice = new ArrayList<>(posted.get(0).get());
    alice.addAll(posted.get(1).get());
    List<String> bob = new ArrayList<>(posted.get(2).get());
    bob.addAll(posted.get(3).get());
    pool.shutdown();

    eventually(Duration.ofSeconds(60), "every job done", () ->
        harness.row("SELECT count(*) FROM order_jobs WHERE status <> 'done'").getLong(0) == 0);
    assertExactlyOnce(ALICE_KEY, alice);
    assertExactlyOnce(BOB_KEY, bob);
    assertThat(harness.attempts(0, "submit", "done")).as("node 0 submitted some").isPositive();
    assertThat(harness.attempts(1, "submit", "done")).as("node 1 submitted some").isPositive();
    assertOwnOrdersOnly(aliceSocket, alice, bob);
    assertOwnOrdersOnly(bobSocket, bob, alice);
    aliceSocket.close();
    bobSocket.close();
  }

  /** Every one of the trader's orders reached their socket with its broker id, and none of the other's did. */
  private static void assertOwnOrdersOnly(TestSocket socket, List<String> own, List<String> others) throws Exception {
    for (String id : own) {
      socket.awaitEntity("order", o -> id.equals(o.getString("orderId")) && o.getString("brokerOrderId") != null,
          Duration.ofSeconds(20));
    }
    java.util.Set<String> seen = new java.util.HashSet<>();
    socket.entities("order").forEach(o -> seen.add(o.getString("orderId")));
    assertThat(seen).doesNotContainAnyElementsOf(others);
  }

  private static void assertExactlyOnce(String key, List<String> ours) throws Exception {
    Map<String, List<JsonObject>> broker = harness.brokerOrders(key);
    for (String id : ours) {
      assertThat(broker.get(id)).as("broker orders with client_order_id " + id).hasSize(1);
      Row row = harness.row("SELECT broker_order_id, status FROM orders WHERE id = $1::uuid", id);
      assertThat(row.getString("broker_order_id")).isEqualTo(broker.get(id).get(0).getString("id"));
      assertThat(row.getString("status")).isIn("new", "accepted", "pending_new");
    }
  }

  @Test
  @DisplayName("while the broker is down jobs wait and retry; when it returns each completes, once")
  void brokerDown() throws Exception {
    TestClient alice = harness.signedIn("alice", 1);
    EdgeCluster.await(harness.simulator.setAvailable(false));
    List<String> ids = new ArrayList<>();
    try {
      for (int i = 0; i < 5; i++) {
        ids.add(place(alice, restingLimit("NVDA")));
      }
      eventually(Duration.ofSeconds(20), "every job retried at least twice", () -> harness.row(
          "SELECT count(*) FROM order_jobs WHERE order_id = ANY($1) AND attempts >= 2 AND last_error LIKE '%503%'",
          (Object) ids.stream().map(java.util.UUID::fromString).toArray(java.util.UUID[]::new)).getLong(0) == ids.size());
      for (String id : ids) {
        assertThat(harness.row("SELECT status FROM orders WHERE id = $1::uuid", id).getString(0)).isEqualTo("pending_new");
      }
    } finally {
      EdgeCluster.await(harness.simulator.setAvailable(true));
    }
    eventually(Duration.ofSeconds(30), "every job done once the broker is back", () -> harness.row(
        "SELECT count(*) FROM order_jobs WHERE order_id = ANY($1) AND status = 'done'",
        (Object) ids.stream().map(java.util.UUID::fromString).toArray(java.util.UUID[]::new)).getLong(0) == ids.size());
    assertExactlyOnce(ALICE_KEY, ids);
  }

  @Test
  @DisplayName("a rejection (insufficient buying power) reaches the socket as order_update rejected with the broker's reason")
  void rejected() throws Exception {
    TestClient alice = harness.signedIn("alice", 0);
    try (TestSocket socket = subscribed(alice)) {
      String id = place(alice, market("AAPL", "buy", "1000000"));

      JsonObject order = socket.awaitEntity("order", o -> id.equals(o.getString("orderId"))
          && "rejected".equals(o.getString("status")), Duration.ofSeconds(10));

      assertThat(order.getString("rejectReason")).isEqualTo("insufficient buying power");
      assertThat(harness.brokerOrders(ALICE_KEY)).doesNotContainKey(id);
      assertThat(harness.row("SELECT status FROM order_jobs WHERE order_id = $1::uuid", id).getString(0))
          .isEqualTo("done");
    }
  }

  @Test
  @DisplayName("a market order reaches the socket as submitted (new, with the broker's id), then filled")
  void filled() throws Exception {
    TestClient bob = harness.signedIn("bob", 1);
    try (TestSocket socket = subscribed(bob)) {
      String id = place(bob, market("AMZN", "buy", "2"));

      JsonObject filled = socket.awaitEntity("order", o -> id.equals(o.getString("orderId"))
          && "filled".equals(o.getString("status")), Duration.ofSeconds(10));

      assertThat(filled.getString("filledQty")).isEqualTo("2");
      assertThat(filled.getString("brokerOrderId")).isEqualTo(harness.brokerOrders(BOB_KEY).get(id).get(0).getString("id"));
      // An order's states are conflated per entity within the urgent linger (newest wins), so
      // pending_new may be overtaken by the broker's answer; what the socket sees only moves forward.
      List<String> seen = socket.entities("order").stream().filter(o -> id.equals(o.getString("orderId")))
          .map(o -> o.getString("status")).toList();
      List<String> forward = List.of("pending_new", "accepted", "new", "partially_filled", "filled");
      assertThat(seen).last().isEqualTo("filled");
      assertThat(seen.stream().map(forward::indexOf).toList()).as("states seen: %s", seen)
          .doesNotContain(-1).isSorted();
    }
  }

  @Test
  @DisplayName("a cancel of a working order: pending_cancel at once, then canceled from the broker")
  void canceledAtBroker() throws Exception {
    TestClient alice = harness.signedIn("alice", 1);
    try (TestSocket socket = subscribed(alice)) {
      String id = place(alice, restingLimit("TSLA"));
      socket.awaitEntity("order", o -> id.equals(o.getString("orderId")) && o.getString("brokerOrderId") != null,
          Duration.ofSeconds(10));

      HttpResponse<Buffer> response = OrderQueueHarness.cancel(alice, id);

      assertThat(response.statusCode()).isEqualTo(202);
      assertThat(response.bodyAsJsonObject().getString("status")).isEqualTo("pending_cancel");
      socket.awaitEntity("order", o -> id.equals(o.getString("orderId")) && "canceled".equals(o.getString("status")),
          Duration.ofSeconds(10));
      assertThat(harness.brokerOrders(ALICE_KEY).get(id).get(0).getString("status")).isEqualTo("canceled");
      assertThat(OrderQueueHarness.cancel(alice, id).statusCode()).isEqualTo(409);
    }
  }

  @Test
  @DisplayName("a cancel the broker refuses (the order filled meanwhile): the job ends with the 422, and the broker's filled wins on the socket")
  void cancelRefused() throws Exception {
    TestClient bob = harness.signedIn("bob", 0);
    try (TestSocket socket = subscribed(bob)) {
      String id = place(bob, market("GOOGL", "buy", "1"));
      socket.awaitEntity("order", o -> id.equals(o.getString("orderId")) && "filled".equals(o.getString("status")),
          Duration.ofSeconds(10));
      // As if ingest had not heard of the fill yet when the trader pressed cancel.
      EdgeCluster.await(harness.cluster.pool().preparedQuery("UPDATE orders SET status = 'new', filled_qty = 0 "
          + "WHERE id = $1::uuid").execute(Tuple.of(id)));

      HttpResponse<Buffer> pending = OrderQueueHarness.cancel(bob, id);
      assertThat(pending.statusCode()).isEqualTo(202);
      long pendingVersion = pending.bodyAsJsonObject().getLong("version");

      eventually(Duration.ofSeconds(10), "the cancel job done", () -> "done".equals(harness.row(
          "SELECT status FROM order_jobs WHERE order_id = $1::uuid AND kind = 'cancel'", id).getString(0)));
      assertThat(harness.row("SELECT last_error FROM order_jobs WHERE order_id = $1::uuid AND kind = 'cancel'", id)
          .getString(0)).contains("422");
      socket.awaitEntity("order", o -> id.equals(o.getString("orderId")) && "filled".equals(o.getString("status"))
          && o.getLong("version") > pendingVersion, Duration.ofSeconds(10));
      eventually(Duration.ofSeconds(10), "the order filled again, as the broker has it", () -> "filled".equals(
          harness.row("SELECT status FROM orders WHERE id = $1::uuid", id).getString(0)));
    }
  }

  private static TestSocket subscribed(TestClient client) throws Exception {
    TestSocket socket = client.admittedSocket();
    socket.send("{\"type\":\"subscribe\",\"channels\":[\"orders\"]}");
    socket.awaitType("snapshot");
    return socket;
  }
}
