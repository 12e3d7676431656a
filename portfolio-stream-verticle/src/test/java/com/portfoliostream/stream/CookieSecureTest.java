package com.portfoliostream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.testkit.EdgeCluster;
import com.portfoliostream.testkit.TestClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("COOKIE_SECURE=true on a node behind a TLS-terminating balancer (plain HTTP itself)")
class CookieSecureTest {

  static EdgeCluster<StreamVerticle> cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = EdgeCluster.start(1, Map.of("COOKIE_SECURE", "true"), StreamEdge.ROLE);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  @Test
  @DisplayName("the CSRF and session cookies are Secure __Host- cookies (Path=/, no Domain), and signing in works")
  void secureHostCookies() throws Exception {
    TestClient client = new TestClient(cluster.clients(), cluster.node(0).port());

    HttpResponse<Buffer> health = client.get("/api/health");
    HttpResponse<Buffer> login = client.login("alice", EdgeCluster.PASSWORD);

    assertThat(health.cookies()).singleElement().satisfies(c -> assertThat(c)
        .startsWith("__Host-XSRF-TOKEN=").contains("; Secure").contains("Path=/").doesNotContainIgnoringCase("Domain"));
    assertThat(login.statusCode()).isEqualTo(200);
    assertThat(login.cookies()).anySatisfy(c -> assertThat(c).startsWith("__Host-session=").contains("; Secure")
        .contains("Path=/").containsIgnoringCase("HttpOnly").doesNotContainIgnoringCase("Domain"));
    assertThat(client.cookies()).doesNotContainKeys("session", "XSRF-TOKEN");
    assertThat(client.get("/api/auth/me").bodyAsJsonObject().getString("username")).isEqualTo("alice");
  }
}
