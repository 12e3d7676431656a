package com.portfoliostream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.testkit.EdgeCluster;
import com.portfoliostream.testkit.ProxiedHttp;
import com.portfoliostream.web.auth.LoginThrottle;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * PROXY_PROTOCOL=true behind a balancer at 127.0.0.2 (TRUSTED_PROXIES): the header HAProxy's
 * send-proxy-v2 writes names the client, and the sign-in throttle and the per-address cap use it;
 * the same header from any other peer is not believed.
 */
@DisplayName("An edge behind a balancer speaking the PROXY protocol")
class ProxyProtocolTest {

  private static final String BALANCER = "127.0.0.2";
  private static final String STRANGER = "127.0.0.3";
  static EdgeCluster<StreamVerticle> cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = EdgeCluster.start(1, Map.of("TRUSTED_PROXIES", BALANCER, "PROXY_PROTOCOL", "true",
        "MAX_CONNECTIONS_PER_ADDRESS", "3"), StreamEdge.ROLE);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  @Test
  @DisplayName("locks a username per client the PROXY header names: one client's failures lock out no one else")
  void lockIsPerProxiedClient() throws Exception {
    ProxiedHttp balancer = new ProxiedHttp(BALANCER, cluster.node(0).port());
    for (int i = 0; i < LoginThrottle.LOCK_AFTER; i++) {
      assertThat(login(balancer, "198.51.100.7", "alice", "wrong-" + i)).isEqualTo(401);
    }

    assertThat(login(balancer, "198.51.100.7", "alice", EdgeCluster.PASSWORD)).as("the guessing client").isEqualTo(429);
    assertThat(login(balancer, "198.51.100.8", "alice", EdgeCluster.PASSWORD)).as("alice elsewhere").isEqualTo(200);
  }

  @Test
  @DisplayName("a PROXY header from a peer that is not a trusted balancer names nobody: its own address is locked")
  void strangersHeaderIgnored() throws Exception {
    ProxiedHttp stranger = new ProxiedHttp(STRANGER, cluster.node(0).port());
    for (int i = 0; i < LoginThrottle.LOCK_AFTER; i++) {
      // A new client each time, as an attacker rotating claimed addresses would.
      assertThat(login(stranger, "198.51.100." + (20 + i), "bob", "wrong-" + i)).isEqualTo(401);
    }

    assertThat(login(stranger, "198.51.100.99", "bob", EdgeCluster.PASSWORD))
        .as("every claimed address is the stranger's own").isEqualTo(429);
    assertThat(login(new ProxiedHttp(BALANCER, cluster.node(0).port()), "198.51.100.99", "bob", EdgeCluster.PASSWORD))
        .as("bob through the balancer").isEqualTo(200);
  }

  @Test
  @DisplayName("the per-address cap counts each proxied client, so one client cannot use up the balancer's connections")
  void capPerProxiedClient() throws Exception {
    ProxiedHttp balancer = new ProxiedHttp(BALANCER, cluster.node(0).port());
    List<Socket> held = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        held.add(balancer.hold("198.51.100.50"));
      }
      assertThat(balancer.send("198.51.100.50", get("/api/health")).status()).as("a fourth of the same client").isZero();
      assertThat(balancer.send("198.51.100.51", get("/api/health")).status()).as("another client").isEqualTo(200);
    } finally {
      for (Socket socket : held) {
        socket.close();
      }
    }
  }

  @Test
  @DisplayName("a connection that does not begin with a PROXY header is closed unanswered")
  void headerRequired() throws Exception {
    ProxiedHttp balancer = new ProxiedHttp(BALANCER, cluster.node(0).port());

    assertThat(balancer.send(null, get("/api/health")).status()).isZero();
    assertThat(balancer.send("198.51.100.60", get("/api/health")).status()).isEqualTo(200);
  }

  private static int login(ProxiedHttp via, String client, String user, String password) throws Exception {
    ProxiedHttp.Answer health = via.send(client, get("/api/health"));
    String token = health.cookie("XSRF-TOKEN").orElseThrow(() -> new AssertionError("no XSRF-TOKEN in " + health.text()));
    String body = "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}";
    return via.send(client, "POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        + "Content-Type: application/json\r\nCookie: XSRF-TOKEN=" + token + "\r\nX-XSRF-TOKEN: " + token
        + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body).status();
  }

  private static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  }
}
