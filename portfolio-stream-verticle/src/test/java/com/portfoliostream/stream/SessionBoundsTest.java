package com.portfoliostream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.events.protocol.CloseReason;
import com.portfoliostream.testkit.EdgeCluster;
import com.portfoliostream.testkit.Fixtures;
import com.portfoliostream.testkit.TestClient;
import com.portfoliostream.testkit.TestSocket;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Sessions: none stored for anonymous callers, bounded per user and in all, and with an absolute end")
class SessionBoundsTest {

  static EdgeCluster<StreamVerticle> cluster;
  static UUID alice;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = EdgeCluster.start(1, Map.of("MAX_SESSIONS_PER_USER", "2", "MAX_SESSIONS", "4",
        "SESSION_MAX_LIFETIME_HOURS", "1"), StreamEdge.ROLE);
    alice = Fixtures.userId(cluster.pool(), "alice");
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  @BeforeEach
  void noSessions() throws Exception {
    sql("DELETE FROM web_sessions");
  }

  private static TestClient anonymous() {
    return new TestClient(cluster.clients(), cluster.node(0).port());
  }

  private static TestClient signedIn(String username) throws Exception {
    TestClient client = anonymous();
    assertThat(client.login(username, EdgeCluster.PASSWORD).statusCode()).isEqualTo(200);
    return client;
  }

  private static Row sql(String query, Object... values) throws Exception {
    var rows = EdgeCluster.await(cluster.pool().preparedQuery(query).execute(Tuple.from(values)));
    return rows.size() == 0 ? null : rows.iterator().next();
  }

  private static long sessionRows() throws Exception {
    return sql("SELECT count(*) FROM web_sessions").getLong(0);
  }

  @Test
  @DisplayName("health, the CSRF bootstrap GET, 401 calls and a failed sign-in store no session and set no session cookie")
  void anonymousStoresNothing() throws Exception {
    TestClient client = anonymous();

    HttpResponse<Buffer> health = client.get("/api/health");
    assertThat(client.get("/api/auth/me").statusCode()).isEqualTo(401);
    assertThat(client.get("/api/positions").statusCode()).isEqualTo(401);
    HttpResponse<Buffer> failed = client.login("alice", "not-the-password");

    assertThat(health.cookies()).anySatisfy(c -> assertThat(c).startsWith("XSRF-TOKEN="));
    assertThat(failed.statusCode()).as("the anonymous CSRF token passed; the password did not").isEqualTo(401);
    assertThat(client.cookie("session")).as("no session cookie is handed out").isNull();
    assertThat(sessionRows()).isZero();

    assertThat(client.login("alice", EdgeCluster.PASSWORD).statusCode()).isEqualTo(200);
    assertThat(sessionRows()).as("a sign-in stores its session").isOne();
    assertThat(sql("SELECT owner FROM web_sessions").getString(0)).isEqualTo(alice.toString());
    assertThat(client.post("/api/auth/logout", new JsonObject()).statusCode())
        .as("the token the sign-in sent is bound to the new session").isEqualTo(204);
  }

  @Test
  @DisplayName("once signed in, a valid token that was not issued to this session is refused 403")
  void signedInTokenIsBoundToTheSession() throws Exception {
    TestClient stranger = anonymous();
    stranger.get("/api/health");
    String strangersToken = stranger.cookie("XSRF-TOKEN");
    TestClient alicesBrowser = signedIn("alice");
    alicesBrowser.setCookie("XSRF-TOKEN", strangersToken);

    HttpResponse<Buffer> logout = alicesBrowser.send(HttpMethod.POST, "/api/auth/logout", "{}",
        Map.of("Content-Type", "application/json", "X-XSRF-TOKEN", strangersToken));

    assertThat(logout.statusCode()).isEqualTo(403);
    assertThat(logout.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("CSRF_TOKEN_INVALID");
  }

  @Test
  @DisplayName("a third sign-in of a user allowed two sessions ends the oldest, whose socket closes 1008")
  void perUserCapEvictsTheOldest() throws Exception {
    TestClient first = signedIn("alice");
    try (TestSocket socket = first.admittedSocket()) {
      TestClient second = signedIn("alice");
      TestClient third = signedIn("alice");

      TestSocket.Closed closed = socket.awaitClose(Duration.ofSeconds(10));
      assertThat(closed.code()).isEqualTo(1008);
      assertThat(closed.reason()).isEqualTo(CloseReason.AUTHENTICATION_REQUIRED.reason());
      assertThat(first.get("/api/auth/me").statusCode()).isEqualTo(401);
      assertThat(second.get("/api/auth/me").statusCode()).isEqualTo(200);
      assertThat(third.get("/api/auth/me").statusCode()).isEqualTo(200);
      assertThat(sql("SELECT count(*) FROM web_sessions WHERE owner = $1", alice.toString()).getLong(0)).isEqualTo(2);
    }
  }

  @Test
  @DisplayName("with MAX_SESSIONS live, a new sign-in is refused 503 SESSIONS_FULL and nobody is signed out")
  void globalCapRefusesNewSignIns() throws Exception {
    TestClient[] holders = {signedIn("alice"), signedIn("alice"), signedIn("bob"), signedIn("bob")};

    HttpResponse<Buffer> refused = anonymous().login("admin", EdgeCluster.PASSWORD);

    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("SESSIONS_FULL");
    assertThat(refused.getHeader("Retry-After")).isNotBlank();
    assertThat(sessionRows()).isEqualTo(4);
    for (TestClient holder : holders) {
      assertThat(holder.get("/api/auth/me").statusCode()).isEqualTo(200);
    }
  }

  @Test
  @DisplayName("a session ends SESSION_MAX_LIFETIME_HOURS after sign-in however busy: use never renews it past that, then its socket closes 1008")
  void absoluteLifetime() throws Exception {
    TestClient client = signedIn("alice");
    assertThat(sql("SELECT extract(epoch FROM ends_at - created_at)::bigint FROM web_sessions").getLong(0))
        .as("SESSION_MAX_LIFETIME_HOURS=1").isEqualTo(3600);
    try (TestSocket socket = client.admittedSocket()) {
      // Busy for 50 minutes: renewed 5 minutes ago, 10 minutes left of its life.
      sql("UPDATE web_sessions SET expires_at = now() + interval '25 minutes', ends_at = now() + interval '10 minutes'");
      assertThat(client.get("/api/auth/me").statusCode()).isEqualTo(200);
      assertThat(sql("SELECT expires_at = ends_at FROM web_sessions").getBoolean(0))
          .as("the renewal stops at the end, not 30 idle minutes on").isTrue();

      sql("UPDATE web_sessions SET ends_at = now()");

      assertThat(client.get("/api/auth/me").statusCode()).isEqualTo(401);
      TestSocket.Closed closed = socket.awaitClose(Duration.ofSeconds(15));
      assertThat(closed.code()).isEqualTo(1008);
      assertThat(closed.reason()).isEqualTo(CloseReason.AUTHENTICATION_REQUIRED.reason());
    }
  }
}
