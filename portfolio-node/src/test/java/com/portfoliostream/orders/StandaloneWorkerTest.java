package com.portfoliostream.orders;

import static com.portfoliostream.orders.OrderQueueHarness.ALICE_KEY;
import static com.portfoliostream.testkit.Eventually.eventually;
import static com.portfoliostream.orders.OrderQueueHarness.place;
import static com.portfoliostream.orders.OrderQueueHarness.restingLimit;
import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.common.NodeContext;
import com.portfoliostream.common.metrics.MetricNames;
import com.portfoliostream.stream.StreamVerticle;
import com.portfoliostream.testkit.EdgeCluster;
import com.portfoliostream.testkit.TestClient;
import com.portfoliostream.testkit.TestSocket;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * One node with the edge and order workers that give up after three attempts, and no ingest: what
 * the workers alone make of the broker's answers.
 */
@DisplayName("Order workers on their own")
class StandaloneWorkerTest {

  static OrderQueueHarness harness;

  @BeforeAll
  static void start() throws Exception {
    harness = OrderQueueHarness.start(1, false, Map.of("ORDER_MAX_ATTEMPTS", "3", "ORDER_RETRY_BASE_MS", "50"));
  }

  @AfterAll
  static void stop() throws Exception {
    harness.close();
  }

  @Test
  @DisplayName("a cancel the broker refuses puts the order back to new, and the socket is told why (info CANCEL_REJECTED)")
  void cancelRefused() throws Exception {
    TestClient bob = harness.signedIn("bob", 0);
    try (TestSocket socket = bob.admittedSocket()) {
      socket.send("{\"type\":\"subscribe\",\"channels\":[\"orders\"]}");
      socket.awaitType("snapshot");
      // Filled at the broker at once; with no ingest here the order stays new in our books.
      String id = place(bob, OrderQueueHarness.market("GOOGL", "buy", "1"));
      eventually(Duration.ofSeconds(10), "the order at the broker", () ->
          harness.row("SELECT broker_order_id FROM orders WHERE id = $1::uuid", id).getString(0) != null);

      io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> pending = OrderQueueHarness.cancel(bob, id);
      assertThat(pending.statusCode()).isEqualTo(202);
      assertThat(pending.bodyAsJsonObject().getString("status")).isEqualTo("pending_cancel");
      long pendingVersion = pending.bodyAsJsonObject().getLong("version");

      JsonObject back = socket.awaitEntity("order", o -> id.equals(o.getString("orderId"))
          && o.getLong("version") > pendingVersion, Duration.ofSeconds(10));
      assertThat(back.getString("status")).isEqualTo("new");
      Row job = harness.row("SELECT status, last_error FROM order_jobs WHERE order_id = $1::uuid AND kind = 'cancel'", id);
      assertThat(job.getString("status")).isEqualTo("done");
      assertThat(job.getString("last_error")).contains("422").contains("filled");
      JsonObject notice = socket.await(m -> "info".equals(m.getString("type"))
          && "CANCEL_REJECTED".equals(m.getJsonObject("data").getString("code")), Duration.ofSeconds(10));
      assertThat(notice.getJsonObject("data").getJsonObject("details").getString("orderId")).isEqualTo(id);
      assertThat(notice.getJsonObject("data").getString("message"))
          .isEqualTo("The GOOGL order could not be canceled: order is already in \"filled\" state");
    }
  }

  @Test
  @DisplayName("after its last attempt a job is dead with its last error kept, and the order failed with a reason the user reads on the socket")
  void deadLettered() throws Exception {
    TestClient alice = harness.signedIn("alice", 0);
    try (TestSocket socket = alice.admittedSocket()) {
      socket.send("{\"type\":\"subscribe\",\"channels\":[\"orders\"]}");
      socket.awaitType("snapshot");
      EdgeCluster.await(harness.simulator.setAvailable(false));
      try {
        String id = place(alice, restingLimit("AAPL"));

        JsonObject failed = socket.awaitEntity("order", o -> id.equals(o.getString("orderId"))
            && "failed".equals(o.getString("status")), Duration.ofSeconds(15));

        assertThat(failed.getString("rejectReason"))
            .startsWith("The order could not be placed: the broker did not answer in 3 attempts")
            .contains("503");
        Row job = harness.row("SELECT status, attempts, last_error FROM order_jobs WHERE order_id = $1::uuid", id);
        assertThat(job.getString("status")).isEqualTo("dead");
        assertThat(job.getInteger("attempts")).isEqualTo(3);
        assertThat(job.getString("last_error")).contains("HTTP 503");
        assertThat(harness.attempts(0, "submit", "dead")).isEqualTo(1);
        assertThat(harness.brokerOrders(ALICE_KEY)).doesNotContainKey(id);
        eventually(Duration.ofSeconds(5), "the dead job left the queue's depth", () ->
            harness.cluster.node(0).context().metrics().find("order_queue_depth").gauge().value() == 0);
      } finally {
        EdgeCluster.await(harness.simulator.setAvailable(true));
      }
    }
  }

  @Test
  @DisplayName("stopping the order workers takes their queue depth gauge out of the node's registry")
  void depthGaugeRemovedOnStop() throws Exception {
    EdgeCluster.Node<StreamVerticle> node = harness.cluster.node(0);
    MeterRegistry registry = new SimpleMeterRegistry();
    NodeContext context = new NodeContext(node.context().nodeId(), node.context().config(), node.context().pool(),
        node.context().cipher(), registry, node.context().cluster());
    String deployment = EdgeCluster.await(node.vertx().deployVerticle(new OrderQueueVerticle(context)));
    assertThat(registry.find(MetricNames.ORDER_QUEUE_DEPTH).gauge()).isNotNull();

    EdgeCluster.await(node.vertx().undeploy(deployment));

    assertThat(registry.find(MetricNames.ORDER_QUEUE_DEPTH).gauge()).isNull();
  }
}
