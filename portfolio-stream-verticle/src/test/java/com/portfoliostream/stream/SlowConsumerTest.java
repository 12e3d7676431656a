package com.portfoliostream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.testkit.Fixtures;
import com.portfoliostream.testkit.EdgeCluster;
import com.portfoliostream.testkit.Eventually;
import com.portfoliostream.testkit.RawSocket;
import com.portfoliostream.testkit.TestClient;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A client that cannot keep up")
class SlowConsumerTest {

  static EdgeCluster<StreamVerticle> cluster;
  static UUID bob;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = EdgeCluster.start(1, Map.of("HEARTBEAT_TIMEOUT_MS", "120000", "HEARTBEAT_INTERVAL_MS", "60000"), StreamEdge.ROLE);
    bob = Fixtures.userId(cluster.pool(), "bob");
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  @Test
  @DisplayName("a client that stops reading is held to a bounded backlog and closed 1013 when it overflows")
  void slowConsumerIsClosed() throws Exception {
    TestClient client = new TestClient(cluster.clients(), cluster.node(0).port());
    client.login("bob", EdgeCluster.PASSWORD);
    StreamVerticle edge = cluster.node(0).verticle();
    long before = onLoop(() -> edge.registry().closeReasons().getOrDefault("slow_consumer", 0L));
    RawSocket slow = RawSocket.openWithSmallBuffer(cluster.clients(), cluster.node(0).port(), client.cookieHeader());
    slow.awaitUpgrade(5_000);
    slow.sendText("{\"type\":\"subscribe\",\"channels\":[\"trades\"]}");
    slow.awaitFrame(0x1, 5_000);
    slow.stopReading();
    String bulky = "x".repeat(2 * 1024);
    for (int i = 0; i < 30_000 && onLoop(() -> edge.registry().closeReasons().getOrDefault("slow_consumer", 0L)) == before; i++) {
      Fixtures.publish(cluster.vertx(), Fixtures.trade(bob, "TSLA", bulky));
    }
    long after = Eventually.until(() -> onLoop(() -> edge.registry().closeReasons().getOrDefault("slow_consumer", 0L)),
        count -> count > before, Duration.ofSeconds(20));
    assertThat(after).isEqualTo(before + 1);
    slow.close();
  }

  private static <T> T onLoop(Callable<T> read) throws Exception {
    return StreamEdge.onLoop(cluster.node(0), read);
  }
}
