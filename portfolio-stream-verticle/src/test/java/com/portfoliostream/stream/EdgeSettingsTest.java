package com.portfoliostream.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.portfoliostream.testkit.EdgeCluster;
import com.portfoliostream.testkit.TestClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A node with realtime disabled, and repeated failed logins")
class EdgeSettingsTest {

  static EdgeCluster<StreamVerticle> cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = EdgeCluster.start(1, Map.of("ENABLE_REALTIME_PORTFOLIO", "false"), StreamEdge.ROLE);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  @Test
  @DisplayName("with realtime disabled the socket answers 503, health says false, and REST still works")
  void realtimeDisabled() throws Exception {
    TestClient client = new TestClient(cluster.clients(), cluster.node(0).port());
    client.login("alice", EdgeCluster.PASSWORD);

    assertThatThrownBy(client::socket).cause().isInstanceOf(UpgradeRejectedException.class)
        .satisfies(e -> assertThat(((UpgradeRejectedException) e).getStatus()).isEqualTo(503));
    assertThat(client.get("/api/health").bodyAsJsonObject().getJsonObject("features")
        .getBoolean("realtimePortfolio")).isFalse();
    assertThat(client.get("/api/positions").statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("after 10 failed logins a username is refused with 429, even with the right password; others still sign in")
  void lockout() throws Exception {
    for (int i = 0; i < 10; i++) {
      HttpResponse<Buffer> failed = new TestClient(cluster.clients(), cluster.node(0).port()).login("bob", "wrong-" + i);
      assertThat(failed.statusCode()).isEqualTo(401);
    }

    HttpResponse<Buffer> locked = new TestClient(cluster.clients(), cluster.node(0).port()).login("bob", EdgeCluster.PASSWORD);
    HttpResponse<Buffer> other = new TestClient(cluster.clients(), cluster.node(0).port()).login("admin", EdgeCluster.PASSWORD);

    assertThat(locked.statusCode()).isEqualTo(429);
    assertThat(locked.getHeader("Retry-After")).isEqualTo("900");
    assertThat(locked.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("TOO_MANY_ATTEMPTS");
    assertThat(other.statusCode()).isEqualTo(200);
  }
}
