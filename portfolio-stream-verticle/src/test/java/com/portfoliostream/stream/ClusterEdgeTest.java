package com.portfoliostream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.testkit.Fixtures;
import com.portfoliostream.testkit.EdgeCluster;
import com.portfoliostream.testkit.TestClient;
import com.portfoliostream.testkit.TestSocket;
import io.vertx.core.json.JsonObject;
import com.portfoliostream.web.session.PgSessionStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@DisplayName("The edge on a two-node cluster")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterEdgeTest {

  static EdgeCluster<StreamVerticle> cluster;
  static UUID alice;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = EdgeCluster.start(2, Map.of(), StreamEdge.ROLE);
    alice = Fixtures.userId(cluster.pool(), "alice");
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  private static TestClient signedIn(String username, int node) throws Exception {
    TestClient client = new TestClient(cluster.clients(), cluster.node(node).port());
    assertThat(client.login(username, EdgeCluster.PASSWORD).statusCode()).isEqualTo(200);
    return client;
  }

  @Test
  @Order(1)
  @DisplayName("a session cookie issued by one node is accepted by the other, for REST and sockets")
  void crossNodeSession() throws Exception {
    TestClient onA = signedIn("alice", 0);
    TestClient onB = onA.onPort(cluster.node(1).port());

    JsonObject me = onB.get("/api/auth/me").bodyAsJsonObject();
    assertThat(me.getString("username")).isEqualTo("alice");
    try (TestSocket socket = onB.socket()) {
      socket.send("{\"type\":\"subscribe\",\"channels\":[\"positions\"]}");
      assertThat(socket.awaitType("snapshot").getJsonObject("data").getJsonArray("positions")).hasSize(4);
      Fixtures.publish(cluster.node(0).vertx(), Fixtures.position(alice, "AAPL", "180.00", 5));
      assertThat(socket.awaitEntity("position", p -> true, java.time.Duration.ofSeconds(5)).getString("currentPrice"))
          .as("an event published on node A reaches a socket on node B").isEqualTo("180.00");
    }
  }

  @Test
  @Order(2)
  @DisplayName("the per-user limit holds across the cluster: 3 sockets on A and 2 on B, the sixth is closed 1008 on either")
  void clusterWideUserLimit() throws Exception {
    TestClient onA = signedIn("alice", 0);
    TestClient onB = onA.onPort(cluster.node(1).port());
    List<TestSocket> open = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        open.add(onA.admittedSocket());
      }
      for (int i = 0; i < 2; i++) {
        open.add(onB.admittedSocket());
      }
      for (TestClient client : List.of(onA, onB)) {
        TestSocket sixth = client.socket();
        TestSocket.Closed closed = sixth.awaitClose(Duration.ofSeconds(10));
        assertThat(closed.code()).isEqualTo(1008);
        assertThat(closed.reason()).isEqualTo("Maximum connections exceeded (5 per user)");
      }
      TestSocket first = open.remove(0);
      first.close();
      first.awaitClose(Duration.ofSeconds(5));
      open.add(onB.admittedSocket());
    } finally {
      open.forEach(TestSocket::close);
    }
  }

  @Test
  @Order(3)
  @DisplayName("signing out on one node closes that session's sockets on every node with 1008")
  void crossNodeLogout() throws Exception {
    TestClient onA = signedIn("alice", 0);
    TestClient onB = onA.onPort(cluster.node(1).port());
    TestClient otherSession = signedIn("alice", 1);
    try (TestSocket socketA = onA.admittedSocket(); TestSocket socketB = onB.admittedSocket();
         TestSocket unrelated = otherSession.admittedSocket()) {
      assertThat(onA.post("/api/auth/logout", new JsonObject()).statusCode()).isEqualTo(204);

      for (TestSocket socket : List.of(socketA, socketB)) {
        TestSocket.Closed closed = socket.awaitClose(Duration.ofSeconds(10));
        assertThat(closed.code()).isEqualTo(1008);
        assertThat(closed.reason()).isEqualTo("Authentication required");
      }
      assertThat(onB.get("/api/auth/me").statusCode()).isEqualTo(401);
      assertThat(unrelated.isClosed()).as("another session of the same user stays").isFalse();
    }
  }

  @Test
  @Order(4)
  @DisplayName("a session that expires closes its sockets with 1008")
  void sessionExpiry() throws Exception {
    TestClient bob = signedIn("bob", 0);
    try (TestSocket socket = bob.onPort(cluster.node(1).port()).admittedSocket()) {
      PgSessionStore store = PgSessionStore.create(cluster.node(0).vertx(), cluster.pool());
      EdgeCluster.await(store.delete(bob.cookie("session")));
      store.close();

      TestSocket.Closed closed = socket.awaitClose(Duration.ofSeconds(15));
      assertThat(closed.code()).isEqualTo(1008);
      assertThat(closed.reason()).isEqualTo("Authentication required");
    }
  }

  @Test
  @Order(5)
  @DisplayName("stopping a node closes its sockets with 1001 and leaves the other node's open")
  void shutdownClosesWithGoingAway() throws Exception {
    TestClient bob = signedIn("bob", 0);
    try (TestSocket onA = bob.admittedSocket(); TestSocket onB = bob.onPort(cluster.node(1).port()).admittedSocket()) {
      EdgeCluster.await(cluster.node(1).vertx().undeploy(cluster.node(1).deploymentId()));

      TestSocket.Closed closed = onB.awaitClose(Duration.ofSeconds(10));
      assertThat(closed.code()).isEqualTo(1001);
      assertThat(closed.reason()).isEqualTo("Server shutting down");
      onA.send("{\"type\":\"ping\"}");
      assertThat(onA.awaitType("pong")).isNotNull();
    }
  }

}
