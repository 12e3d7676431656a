package com.portfoliostream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.testkit.EdgeCluster;
import com.portfoliostream.testkit.TestClient;
import com.portfoliostream.testkit.TestSocket;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A timeout just above the interval leaves the heartbeat no slack: a quiet client that answers
 * every ping must still be pinged every round, never skipped for having answered the last one.
 */
@DisplayName("The heartbeat with a timeout just above its interval")
class HeartbeatMarginTest {

  static EdgeCluster<StreamVerticle> cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = EdgeCluster.start(1, Map.of("HEARTBEAT_INTERVAL_MS", "200", "HEARTBEAT_TIMEOUT_MS", "300"),
        StreamEdge.ROLE);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  @Test
  @DisplayName("keeps a quiet client that answers every ping open, round after round")
  void quietClientThatAnswersStays() throws Exception {
    TestClient bob = new TestClient(cluster.clients(), cluster.node(0).port());
    assertThat(bob.login("bob", EdgeCluster.PASSWORD).statusCode()).isEqualTo(200);
    try (TestSocket quiet = bob.admittedSocket()) {
      Thread.sleep(3_000);
      assertThat(quiet.isClosed()).as("answered every ping for 15 rounds").isFalse();
    }
  }
}
