package com.portfoliostream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.common.metrics.MetricNames;
import com.portfoliostream.testkit.Fixtures;
import com.portfoliostream.testkit.EdgeCluster;
import com.portfoliostream.testkit.Eventually;
import com.portfoliostream.testkit.TestClient;
import com.portfoliostream.testkit.TestSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Batching at the edge over real sockets")
class BatchingEdgeTest {

  static EdgeCluster<StreamVerticle> cluster;
  static UUID alice;
  static UUID bob;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = EdgeCluster.start(1, Map.of("BATCH_MODE", "window", "BATCH_WINDOW_MS", "300", "HEARTBEAT_TIMEOUT_MS", "120000",
        "HEARTBEAT_INTERVAL_MS", "60000"), StreamEdge.ROLE);
    alice = Fixtures.userId(cluster.pool(), "alice");
    bob = Fixtures.userId(cluster.pool(), "bob");
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  @Test
  @DisplayName("opening and closing many sockets of one user adds exactly one consumer, then removes it")
  void oneConsumerPerUser() throws Exception {
    TestClient client = new TestClient(cluster.clients(), cluster.node(0).port());
    client.login("alice", EdgeCluster.PASSWORD);
    StreamVerticle edge = cluster.node(0).verticle();
    List<TestSocket> sockets = new ArrayList<>();
    int consumersBefore = onLoop(edge::userConsumers);
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 5; i++) {
        sockets.add(client.admittedSocket());
      }
      assertThat(onLoop(edge::userConsumers)).isEqualTo(consumersBefore + 1);
      for (TestSocket socket : sockets) {
        socket.close();
        socket.awaitClose(Duration.ofSeconds(5));
      }
      sockets.clear();
      awaitConsumers(edge, consumersBefore);
    }
  }

  @Test
  @DisplayName("a burst of price ticks reaches a socket as far fewer frames, ending on the newest prices")
  void burstIsCoalesced() throws Exception {
    TestClient client = new TestClient(cluster.clients(), cluster.node(0).port());
    client.login("bob", EdgeCluster.PASSWORD);
    try (TestSocket socket = client.admittedSocket()) {
      socket.send("{\"type\":\"subscribe\",\"channels\":[\"positions\"]}");
      socket.awaitType("snapshot");
      int before = socket.received().size();
      for (int v = 1; v <= 50; v++) {
        for (String symbol : List.of("AMZN", "GOOGL", "MSFT", "TSLA")) {
          Fixtures.publish(cluster.vertx(), Fixtures.position(bob, symbol, Integer.toString(100 + v), 100 + v));
        }
      }

      for (String symbol : List.of("AMZN", "GOOGL", "MSFT", "TSLA")) {
        socket.awaitEntity("position", p -> symbol.equals(p.getString("symbol")) && p.getLong("version") == 150,
            Duration.ofSeconds(5));
      }
      int frames = socket.received().size() - before;
      assertThat(frames).as("frames for 200 events").isLessThanOrEqualTo(10);
      assertThat(socket.received().subList(before, socket.received().size()))
          .extracting(m -> m.getLong("seq")).isSorted().doesNotHaveDuplicates();
    }
  }

  @Test
  @DisplayName("deliveries, messages and latency are counted per socket after its filter; a frame no socket wants counts none")
  void deliveriesCountedPerSocket() throws Exception {
    TestClient client = new TestClient(cluster.clients(), cluster.node(0).port());
    client.login("alice", EdgeCluster.PASSWORD);
    try (TestSocket onlyAapl = client.admittedSocket(); TestSocket all = client.admittedSocket();
        TestSocket alsoAll = client.admittedSocket()) {
      onlyAapl.send("{\"type\":\"subscribe\",\"channels\":[\"positions\"],\"symbols\":[\"AAPL\"]}");
      onlyAapl.awaitType("snapshot");
      all.send("{\"type\":\"subscribe\",\"channels\":[\"positions\"]}");
      all.awaitType("snapshot");
      alsoAll.send("{\"type\":\"subscribe\",\"channels\":[\"positions\"]}");
      alsoAll.awaitType("snapshot");
      Thread.sleep(400);
      double delivered = counter(MetricNames.EVENTS_DELIVERED);
      double messages = counter(MetricNames.MESSAGES_DELIVERED);
      double frames = counter(MetricNames.FRAMES_SENT);
      long latencies = latencyCount();

      Fixtures.publish(cluster.vertx(), Fixtures.position(alice, "TSLA", "251.00", 900));
      all.awaitEntity("position", p -> p.getLong("version") == 900, Duration.ofSeconds(5));
      alsoAll.awaitEntity("position", p -> p.getLong("version") == 900, Duration.ofSeconds(5));
      Thread.sleep(400);
      Fixtures.publish(cluster.vertx(), Fixtures.position(alice, "AAPL", "181.00", 901));
      onlyAapl.awaitEntity("position", p -> p.getLong("version") == 901, Duration.ofSeconds(5));
      all.awaitEntity("position", p -> p.getLong("version") == 901, Duration.ofSeconds(5));
      alsoAll.awaitEntity("position", p -> p.getLong("version") == 901, Duration.ofSeconds(5));
      Thread.sleep(400);
      Fixtures.publish(cluster.vertx(), Fixtures.account(alice, "123456.00"));

      Eventually.eventually(Duration.ofSeconds(5), "three user frames out of batching",
          () -> counter(MetricNames.FRAMES_SENT) - frames == 3);
      Thread.sleep(200);
      assertThat(counter(MetricNames.EVENTS_DELIVERED) - delivered)
          .as("TSLA to two sockets, AAPL to three, the account to none").isEqualTo(5);
      assertThat(counter(MetricNames.MESSAGES_DELIVERED) - messages).isEqualTo(5);
      assertThat(latencyCount() - latencies).as("one latency per delivery").isEqualTo(5);
    }
  }

  private static double counter(String name) {
    return cluster.node(0).context().metrics().find(name).counters().stream().mapToDouble(c -> c.count()).sum();
  }

  private static long latencyCount() {
    return cluster.node(0).context().metrics().find(MetricNames.EVENT_LATENCY).summaries().stream()
        .mapToLong(s -> s.count()).sum();
  }

  private static void awaitConsumers(StreamVerticle edge, int expected) throws Exception {
    int consumers = Eventually.until(() -> onLoop(edge::userConsumers), n -> n == expected, Duration.ofSeconds(5));
    assertThat(consumers).isEqualTo(expected);
  }

  private static <T> T onLoop(java.util.concurrent.Callable<T> read) throws Exception {
    return StreamEdge.onLoop(cluster.node(0), read);
  }
}
