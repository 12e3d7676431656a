package com.portfoliostream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.testkit.EdgeCluster;
import com.portfoliostream.testkit.TestClient;
import com.portfoliostream.web.auth.LoginThrottle;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("An edge behind a trusted load balancer")
class TrustedProxyTest {

  static EdgeCluster<StreamVerticle> cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = EdgeCluster.start(1, Map.of("TRUSTED_PROXIES", "127.0.0.1"), StreamEdge.ROLE);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  @Test
  @DisplayName("locks a username per client address as X-Forwarded-For names it: one client's failures lock out no one else")
  void lockIsPerForwardedClient() throws Exception {
    for (int i = 0; i < LoginThrottle.LOCK_AFTER; i++) {
      assertThat(login("203.0.113.7", "wrong-" + i).statusCode()).isEqualTo(401);
    }

    assertThat(login("203.0.113.7", EdgeCluster.PASSWORD).statusCode()).as("the guessing client").isEqualTo(429);
    assertThat(login("203.0.113.8", EdgeCluster.PASSWORD).statusCode()).as("bob at another address").isEqualTo(200);
  }

  private static HttpResponse<Buffer> login(String client, String password) throws Exception {
    TestClient browser = new TestClient(cluster.clients(), cluster.node(0).port());
    browser.get("/api/health");
    return browser.send(HttpMethod.POST, "/api/auth/login",
        new JsonObject().put("username", "bob").put("password", password).encode(),
        Map.of("Content-Type", "application/json", "X-XSRF-TOKEN", browser.cookie("XSRF-TOKEN"),
            "X-Forwarded-For", client));
  }
}
