package com.portfoliostream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.testkit.EdgeCluster;
import com.portfoliostream.testkit.Fixtures;
import com.portfoliostream.testkit.TestClient;
import com.portfoliostream.testkit.TestSocket;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * EDGE_EVENT_LOOPS=3: three socket-serving verticles share the port and one batching verticle
 * holds the users' consumers. A user's sockets land on different loops and each still gets every
 * frame once, in order, numbered without gaps; another user's sockets get none of them.
 */
@DisplayName("The edge on several event loops")
class EdgeEventLoopsTest {

  static EdgeCluster<StreamVerticle> cluster;
  static UUID alice;
  static UUID bob;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = EdgeCluster.start(1, Map.of("EDGE_EVENT_LOOPS", "3", "BATCH_DEADLINE_MS", "50"), StreamEdge.ROLE);
    alice = Fixtures.userId(cluster.pool(), "alice");
    bob = Fixtures.userId(cluster.pool(), "bob");
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  @Test
  @DisplayName("a user's five sockets spread over the loops each get all 200 updates in order, seq without gaps, and nothing of bob's")
  void everyLoopGetsEveryFrame() throws Exception {
    TestClient aliceClient = signedIn("alice");
    TestClient bobClient = signedIn("bob");
    List<TestSocket> sockets = new ArrayList<>();
    try (TestSocket bobs = bobClient.admittedSocket()) {
      subscribe(bobs);
      for (int i = 0; i < 5; i++) {
        TestSocket socket = aliceClient.admittedSocket();
        subscribe(socket);
        sockets.add(socket);
      }
      assertThat(cluster.node(0).verticle().socketServers()).isEqualTo(3);
      assertThat(StreamEdge.onLoop(cluster.node(0), () -> cluster.node(0).verticle().registry().eventLoopsInUse()))
          .as("six sockets accepted round-robin by three loops").isEqualTo(3);
      assertThat(cluster.node(0).verticle().userConsumers()).as("one consumer per user, not per socket or loop")
          .isEqualTo(2);

      for (int v = 1; v <= 200; v++) {
        Fixtures.publish(cluster.node(0).vertx(), Fixtures.position(alice, "AAPL", v + ".00", v));
      }

      for (TestSocket socket : sockets) {
        socket.awaitEntity("position", p -> "200.00".equals(p.getString("currentPrice")), Duration.ofSeconds(10));
        List<Long> seqs = socket.received().stream().filter(m -> m.containsKey("seq")).map(m -> m.getLong("seq")).toList();
        for (int i = 0; i < seqs.size(); i++) {
          assertThat(seqs.get(i)).as("seq of frame %d", i).isEqualTo(i + 1L);
        }
        assertThat(livePrices(socket)).as("live AAPL prices only move forward").isSorted().contains(200.0);
      }
      Thread.sleep(300);
      assertThat(bobs.entities("position")).as("bob's socket").noneMatch(p -> "200.00".equals(p.getString("currentPrice")));
      assertThat(bobs.received()).as("bob's socket carries only bob's frames")
          .allSatisfy(m -> assertThat(m.getString("userId", bob.toString())).isEqualTo(bob.toString()));
    } finally {
      sockets.forEach(TestSocket::close);
    }
    StreamEdge.awaitNoSockets(cluster, 1, alice, bob);
    assertThat(cluster.node(0).verticle().userConsumers()).as("the consumers go with the last sockets").isZero();
  }

  /** The AAPL prices of the live frames (typed updates and batches), in the order received. */
  private static List<Double> livePrices(TestSocket socket) {
    List<Double> prices = new ArrayList<>();
    for (JsonObject message : socket.received()) {
      JsonObject data = message.getJsonObject("data");
      if ("position_update".equals(message.getString("type"))) {
        prices.add(Double.parseDouble(data.getString("currentPrice")));
      } else if ("batch".equals(message.getString("type")) && data.getJsonArray("positions") != null) {
        data.getJsonArray("positions").forEach(p -> prices.add(Double.parseDouble(((JsonObject) p).getString("currentPrice"))));
      }
    }
    return prices;
  }

  private static void subscribe(TestSocket socket) throws InterruptedException {
    socket.send(new JsonObject().put("type", "subscribe").put("channels", new io.vertx.core.json.JsonArray().add("positions")));
    socket.awaitType("snapshot");
  }

  private static TestClient signedIn(String username) throws Exception {
    TestClient client = new TestClient(cluster.clients(), cluster.node(0).port());
    assertThat(client.login(username, EdgeCluster.PASSWORD).statusCode()).isEqualTo(200);
    return client;
  }
}
