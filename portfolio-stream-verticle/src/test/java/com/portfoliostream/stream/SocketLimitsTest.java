package com.portfoliostream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.testkit.EdgeCluster;
import com.portfoliostream.testkit.Fixtures;
import com.portfoliostream.testkit.RawSocket;
import com.portfoliostream.testkit.TestClient;
import com.portfoliostream.testkit.TestSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Socket limits and heartbeat on a small node")
class SocketLimitsTest {

  static EdgeCluster<StreamVerticle> cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = EdgeCluster.start(1, Map.of("MAX_CONNECTIONS", "3", "MAX_CONNECTIONS_PER_USER", "2",
        "HEARTBEAT_INTERVAL_MS", "200", "HEARTBEAT_TIMEOUT_MS", "1000"), StreamEdge.ROLE);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  /** Each test starts with the node empty and every slot free, whatever the last one left open. */
  @AfterEach
  void awaitSocketsGone() throws Exception {
    StreamEdge.awaitNoSockets(cluster, 1, Fixtures.userId(cluster.pool(), "alice"),
        Fixtures.userId(cluster.pool(), "bob"));
  }

  private static TestClient signedIn(String username) throws Exception {
    TestClient client = new TestClient(cluster.clients(), cluster.node(0).port());
    assertThat(client.login(username, EdgeCluster.PASSWORD).statusCode()).isEqualTo(200);
    return client;
  }

  @Test
  @DisplayName("a user's socket beyond the per-user limit is closed 1008 with the configured limit; closing one frees a slot")
  void perUserLimit() throws Exception {
    TestClient alice = signedIn("alice");
    try (TestSocket first = alice.admittedSocket(); TestSocket second = alice.admittedSocket();
         TestSocket third = alice.socket()) {
      TestSocket.Closed closed = third.awaitClose(Duration.ofSeconds(10));
      assertThat(closed.code()).isEqualTo(1008);
      assertThat(closed.reason()).isEqualTo("Maximum connections exceeded (2 per user)");
      assertThat(first.isClosed()).isFalse();

      first.close();
      first.awaitClose(Duration.ofSeconds(5));
      TestSocket again = alice.admittedSocket();
      again.close();
    }
  }

  @Test
  @DisplayName("a socket beyond the node's capacity is closed 1013 with the exact reason")
  void nodeCapacity() throws Exception {
    TestClient alice = signedIn("alice");
    TestClient bob = signedIn("bob");
    try (TestSocket a1 = alice.admittedSocket(); TestSocket a2 = alice.admittedSocket(); TestSocket b1 = bob.admittedSocket();
         TestSocket b2 = bob.socket()) {
      TestSocket.Closed closed = b2.awaitClose(Duration.ofSeconds(10));

      assertThat(closed.code()).isEqualTo(1013);
      assertThat(closed.reason()).isEqualTo("Server capacity reached - please try again later");
      assertThat(a1.isClosed() || a2.isClosed() || b1.isClosed()).isFalse();
    }
  }

  @Test
  @DisplayName("the server pings every socket, and closes one that stays silent past the timeout")
  void heartbeat() throws Exception {
    TestClient bob = signedIn("bob");
    try (RawSocket frozen = RawSocket.open(cluster.clients(), cluster.node(0).port(), bob.cookieHeader());
         TestSocket alive = bob.admittedSocket()) {
      frozen.awaitFrame(0x9, 2_000);
      RawSocket.Frame close = frozen.awaitFrame(0x8, 5_000);

      assertThat(close.closeCode()).isEqualTo(1001);
      assertThat(close.closeReason()).isEqualTo("Heartbeat timeout");
      alive.send("{\"type\":\"ping\"}");
      assertThat(alive.awaitType("pong")).isNotNull();
      assertThat(alive.isClosed()).as("a client that answers pings stays").isFalse();
    }
  }

  @Test
  @DisplayName("a client heard from within the interval (its own pings) is not pinged, and stays open")
  void heardClientsAreNotPinged() throws Exception {
    TestClient bob = signedIn("bob");
    try (RawSocket chatty = RawSocket.open(cluster.clients(), cluster.node(0).port(), bob.cookieHeader())) {
      chatty.awaitUpgrade(5_000);
      chatty.sendText("{\"type\":\"ping\"}");
      chatty.awaitFrame(0x1, 5_000);
      int served = chatty.frames().size();
      long until = System.nanoTime() + Duration.ofMillis(1_500).toNanos();
      while (System.nanoTime() < until) {
        chatty.sendText("{\"type\":\"ping\"}");
        Thread.sleep(50);
      }
      var since = chatty.frames().subList(served, chatty.frames().size());
      assertThat(since).as("pongs to its own pings, past the 1 s timeout").anyMatch(f -> f.opcode() == 0x1);
      assertThat(since).as("no server ping (0x9) and no close (0x8)").noneMatch(f -> f.opcode() == 0x9 || f.opcode() == 0x8);
    }
  }
}
