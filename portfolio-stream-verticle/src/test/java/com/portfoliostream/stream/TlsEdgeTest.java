package com.portfoliostream.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.portfoliostream.testkit.EdgeCluster;
import com.portfoliostream.testkit.TestClient;
import com.portfoliostream.testkit.TestSocket;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The edge served over TLS")
class TlsEdgeTest {

  static EdgeCluster<StreamVerticle> cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    cluster = EdgeCluster.start(1, Map.of("TLS_CERT_PATH", certificate.certificatePath(),
        "TLS_KEY_PATH", certificate.privateKeyPath()), StreamEdge.ROLE);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  @Test
  @DisplayName("serves HTTPS and WSS, and marks the session and CSRF cookies Secure, with __Host- names")
  void secureCookies() throws Exception {
    TestClient client = new TestClient(cluster.clients(), cluster.node(0).port(), true);

    HttpResponse<Buffer> health = client.get("/api/health");
    HttpResponse<Buffer> login = client.login("alice", EdgeCluster.PASSWORD);

    assertThat(health.cookies()).anySatisfy(c -> assertThat(c).startsWith("__Host-XSRF-TOKEN=").contains("Secure"));
    assertThat(login.statusCode()).isEqualTo(200);
    assertThat(login.cookies()).anySatisfy(c -> assertThat(c).startsWith("__Host-session=").contains("Secure"));
    try (TestSocket socket = client.socket()) {
      socket.send("{\"type\":\"ping\"}");
      assertThat(socket.awaitType("pong")).isNotNull();
    }
    String host = "localhost:" + cluster.node(0).port();
    assertThatThrownBy(() -> client.socket(Map.of("Origin", "http://" + host, "Host", host)))
        .as("a clear-text page under our own name").hasRootCauseInstanceOf(UpgradeRejectedException.class);
    try (TestSocket own = client.socket(Map.of("Origin", "https://" + host, "Host", host))) {
      own.send("{\"type\":\"ping\"}");
      assertThat(own.awaitType("pong")).isNotNull();
    }
  }

  @Test
  @DisplayName("pages carry HSTS when the node serves TLS")
  void hsts() throws Exception {
    HttpResponse<Buffer> page = new TestClient(cluster.clients(), cluster.node(0).port(), true).get("/app/");

    assertThat(page.getHeader("Strict-Transport-Security")).isEqualTo("max-age=31536000");
    assertThat(page.getHeader("Content-Security-Policy")).contains("default-src 'self'");
  }
}
