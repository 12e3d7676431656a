package com.portfoliostream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.portfoliostream.testkit.EdgeCluster;
import com.portfoliostream.testkit.TestClient;
import com.portfoliostream.testkit.TestSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Snapshots under pressure: a database pool of two, snapshots late past SNAPSHOT_DEADLINE_MS, and
 * every socket of the demo's users subscribing at once.
 */
@DisplayName("Snapshots in a reconnect storm")
class SnapshotStormTest {

  private static final String SUBSCRIBE = "{\"type\":\"subscribe\",\"channels\":[\"positions\",\"orders\",\"account\",\"trades\"]}";
  static EdgeCluster<StreamVerticle> cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = EdgeCluster.start(1, Map.of("SNAPSHOT_DEADLINE_MS", "500", "DATABASE_POOL_SIZE", "2"), StreamEdge.ROLE);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  @Test
  @DisplayName("a snapshot held up past its deadline is announced as SNAPSHOT_TIMEOUT with the retry, and arrives once the database answers")
  void lateSnapshotIsRetried() throws Exception {
    TestClient alice = signedIn("alice");
    SqlConnection blocker = cluster.pool().getConnection().await(10, TimeUnit.SECONDS);
    Transaction lock = blocker.begin().await(10, TimeUnit.SECONDS);
    blocker.query("LOCK TABLE positions IN ACCESS EXCLUSIVE MODE").execute().await(10, TimeUnit.SECONDS);
    try (TestSocket socket = alice.admittedSocket()) {
      try {
        socket.send("{\"type\":\"subscribe\",\"channels\":[\"positions\"]}");
        JsonObject late = socket.await(m -> "error".equals(m.getString("type")), Duration.ofSeconds(5));
        assertThat(late.getJsonObject("data").getString("code")).isEqualTo("SNAPSHOT_TIMEOUT");
        assertThat(late.getJsonObject("data").getJsonObject("details").getMap())
            .containsEntry("attempt", 1).containsEntry("retryInMs", 1000);
      } finally {
        lock.commit().await(10, TimeUnit.SECONDS);
        blocker.close().await(10, TimeUnit.SECONDS);
      }
      JsonObject snapshot = socket.awaitType("snapshot");
      assertThat(snapshot.getJsonObject("data").getJsonArray("positions")).hasSize(4);
      assertThat(socket.received()).filteredOn(m -> "snapshot".equals(m.getString("type"))).hasSize(1);
    }
    StreamEdge.awaitNoSockets(cluster, 1);
  }

  @Test
  @DisplayName("fifteen sockets of three users subscribing at once on a pool of two all get their snapshot, sharing reads, with no ERROR or WARN line")
  void everySocketGetsItsSnapshot() throws Exception {
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(log);
    List<TestSocket> sockets = new ArrayList<>();
    try {
      for (String user : List.of("alice", "bob", "admin")) {
        TestClient client = signedIn(user);
        for (int i = 0; i < 5; i++) {
          sockets.add(client.admittedSocket());
        }
      }
      sockets.forEach(socket -> socket.send(SUBSCRIBE));
      for (TestSocket socket : sockets) {
        JsonObject snapshot = socket.awaitType("snapshot");
        assertThat(snapshot.getJsonObject("data").containsKey("positions")).isTrue();
      }
      assertThat(cluster.node(0).verticle().snapshotCounts().get("loaded")).as("reads for 15 snapshots")
          .isLessThanOrEqualTo(15L);
    } finally {
      sockets.forEach(TestSocket::close);
      root.detachAppender(log);
    }
    assertThat(log.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
        .extracting(ILoggingEvent::getFormattedMessage).as("WARN and ERROR lines").isEmpty();
    StreamEdge.awaitNoSockets(cluster, 1);
  }

  private static TestClient signedIn(String username) throws Exception {
    TestClient client = new TestClient(cluster.clients(), cluster.node(0).port());
    assertThat(client.login(username, EdgeCluster.PASSWORD).statusCode()).isEqualTo(200);
    return client;
  }
}
