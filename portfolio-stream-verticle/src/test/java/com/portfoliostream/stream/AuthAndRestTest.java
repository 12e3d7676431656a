package com.portfoliostream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.testkit.Fixtures;
import com.portfoliostream.testkit.EdgeCluster;
import com.portfoliostream.testkit.TestClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Login, sessions, CSRF and the REST snapshots")
class AuthAndRestTest {

  static EdgeCluster<StreamVerticle> cluster;
  static UUID alice;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = EdgeCluster.start(1, Map.of(), StreamEdge.ROLE);
    alice = Fixtures.userId(cluster.pool(), "alice");
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  private static TestClient anonymous() {
    return new TestClient(cluster.clients(), cluster.node(0).port());
  }

  @Test
  @DisplayName("login sets an HttpOnly, SameSite=Lax session cookie with a new id, and /me tells who is signed in")
  void login() throws Exception {
    TestClient client = anonymous();
    client.get("/api/health");
    String before = client.cookie("session");

    HttpResponse<Buffer> response = client.login("alice", EdgeCluster.PASSWORD);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getString("username")).isEqualTo("alice");
    assertThat(response.bodyAsJsonObject().getString("role")).isEqualTo("trader");
    String setCookie = response.cookies().stream().filter(c -> c.startsWith("session=")).findFirst().orElseThrow();
    assertThat(setCookie).containsIgnoringCase("HttpOnly").contains("SameSite=Lax").doesNotContain("Secure");
    assertThat(client.cookie("session")).isNotNull().isNotEqualTo(before);
    assertThat(client.get("/api/auth/me").bodyAsJsonObject().getString("userId")).isEqualTo(alice.toString());
  }

  @Test
  @DisplayName("a wrong password and an unknown user get the same 401")
  void wrongCredentials() throws Exception {
    HttpResponse<Buffer> wrong = anonymous().login("alice", "not-the-password");
    HttpResponse<Buffer> unknown = anonymous().login("nobody-here", "whatever");

    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(wrong.bodyAsJsonObject()).isEqualTo(unknown.bodyAsJsonObject());
    assertThat(wrong.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("INVALID_CREDENTIALS");
  }

  @Test
  @DisplayName("logout ends the session: /me answers 401, and the old cookie no longer works")
  void logout() throws Exception {
    TestClient client = anonymous();
    client.login("alice", EdgeCluster.PASSWORD);
    String oldSession = client.cookie("session");

    assertThat(client.post("/api/auth/logout", new JsonObject()).statusCode()).isEqualTo(204);

    assertThat(client.get("/api/auth/me").statusCode()).isEqualTo(401);
    TestClient replay = anonymous();
    replay.setCookie("session", oldSession);
    assertThat(replay.get("/api/positions").statusCode()).isEqualTo(401);
  }

  @Test
  @DisplayName("a state-changing call without the CSRF header, or with a wrong token, is refused 403 in JSON")
  void csrf() throws Exception {
    TestClient client = anonymous();
    client.get("/api/health");
    JsonObject body = new JsonObject().put("username", "alice").put("password", EdgeCluster.PASSWORD);

    HttpResponse<Buffer> missing = client.send(HttpMethod.POST, "/api/auth/login", body.encode(),
        Map.of("Content-Type", "application/json"));
    HttpResponse<Buffer> wrong = client.send(HttpMethod.POST, "/api/auth/login", body.encode(),
        Map.of("Content-Type", "application/json", "X-XSRF-TOKEN", "forged.123.abc"));

    for (HttpResponse<Buffer> response : List.of(missing, wrong)) {
      assertThat(response.statusCode()).isEqualTo(403);
      assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("CSRF_TOKEN_INVALID");
    }
  }

  @Test
  @DisplayName("a state-changing call that is not JSON is refused 415; a malformed body 400 naming the fields")
  void contentTypeAndBody() throws Exception {
    TestClient client = anonymous();
    client.get("/api/health");
    String token = client.cookie("XSRF-TOKEN");

    HttpResponse<Buffer> form = client.send(HttpMethod.POST, "/api/auth/login", "username=alice&password=x",
        Map.of("Content-Type", "application/x-www-form-urlencoded", "X-XSRF-TOKEN", token));
    HttpResponse<Buffer> notJson = client.send(HttpMethod.POST, "/api/auth/login", "{username:",
        Map.of("Content-Type", "application/json", "X-XSRF-TOKEN", client.cookie("XSRF-TOKEN")));
    HttpResponse<Buffer> noPassword = client.post("/api/auth/login", new JsonObject().put("username", "alice"));

    assertThat(form.statusCode()).isEqualTo(415);
    assertThat(form.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(noPassword.statusCode()).isEqualTo(400);
    assertThat(noPassword.bodyAsJsonObject().getJsonObject("error").getJsonObject("details").getString("password"))
        .contains("required");
  }

  @ParameterizedTest(name = "GET {0} without a session is 401")
  @ValueSource(strings = {"/api/positions", "/api/orders", "/api/account", "/api/trades", "/api/auth/me"})
  void restNeedsSession(String path) throws Exception {
    HttpResponse<Buffer> response = anonymous().get(path);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("UNAUTHENTICATED");
  }

  @Test
  @DisplayName("positions and account are the signed-in user's own, in exact decimals")
  void positionsAndAccount() throws Exception {
    TestClient client = anonymous();
    client.login("bob", EdgeCluster.PASSWORD);

    JsonArray positions = client.get("/api/positions").bodyAsJsonArray();
    JsonObject account = client.get("/api/account").bodyAsJsonObject();

    assertThat(positions.stream().map(p -> ((JsonObject) p).getString("symbol")))
        .containsExactly("AMZN", "GOOGL", "MSFT", "TSLA");
    JsonObject tsla = positions.getJsonObject(3);
    assertThat(tsla.getString("side")).isEqualTo("short");
    assertThat(tsla.getString("unrealizedPnl")).isEqualTo("236.00");
    assertThat(tsla.getString("marketValue")).isEqualTo("-4964.00");
    assertThat(account.getString("cash")).isEqualTo("75000.00");
    assertThat(account.getString("dayPnl")).isEqualTo("0.00");
  }

  @Test
  @DisplayName("orders filter by status open, closed or all; anything else is a 400 naming the parameter")
  void ordersByStatus() throws Exception {
    UUID account = EdgeCluster.await(cluster.pool().preparedQuery("SELECT id FROM broker_accounts WHERE user_id = $1")
        .execute(Tuple.of(alice))).iterator().next().getUUID("id");
    UUID open = insertOrder(account, "new", BigDecimal.ZERO);
    UUID filled = insertOrder(account, "filled", BigDecimal.ONE);
    TestClient client = anonymous();
    client.login("alice", EdgeCluster.PASSWORD);

    assertThat(ids(client.get("/api/orders?status=open").bodyAsJsonArray())).contains(open.toString()).doesNotContain(filled.toString());
    assertThat(ids(client.get("/api/orders?status=closed").bodyAsJsonArray())).contains(filled.toString()).doesNotContain(open.toString());
    assertThat(ids(client.get("/api/orders").bodyAsJsonArray())).contains(open.toString(), filled.toString());
    HttpResponse<Buffer> bad = client.get("/api/orders?status=pending");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.bodyAsJsonObject().getJsonObject("error").getJsonObject("details").getString("parameter")).isEqualTo("status");

    TestClient bob = anonymous();
    bob.login("bob", EdgeCluster.PASSWORD);
    assertThat(ids(bob.get("/api/orders").bodyAsJsonArray())).doesNotContain(open.toString(), filled.toString());
  }

  @Test
  @DisplayName("trades accept an ISO-8601 since and refuse anything else with 400")
  void tradesSince() throws Exception {
    TestClient client = anonymous();
    client.login("alice", EdgeCluster.PASSWORD);

    assertThat(client.get("/api/trades?since=2026-01-01T00:00:00Z").statusCode()).isEqualTo(200);
    assertThat(client.get("/api/trades?since=2026-01-01T00:00:00%2B02:00").statusCode()).isEqualTo(200);
    HttpResponse<Buffer> bad = client.get("/api/trades?since=yesterday");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.bodyAsJsonObject().getJsonObject("error").getJsonObject("details").getString("parameter")).isEqualTo("since");
  }

  @Test
  @DisplayName("health reports status, version and the realtime feature")
  void health() throws Exception {
    JsonObject health = anonymous().get("/api/health").bodyAsJsonObject();

    assertThat(health.getString("status")).isEqualTo("ok");
    assertThat(health.getString("version")).isNotBlank().isNotEqualTo("unknown");
    assertThat(health.getJsonObject("features").getBoolean("realtimePortfolio")).isTrue();
  }

  private static List<String> ids(JsonArray orders) {
    return orders.stream().map(o -> ((JsonObject) o).getString("orderId")).toList();
  }

  private static UUID insertOrder(UUID account, String status, BigDecimal filled) throws Exception {
    UUID id = UUID.randomUUID();
    EdgeCluster.await(cluster.pool().preparedQuery("INSERT INTO orders (id, account_id, user_id, client_order_id, "
            + "symbol, side, type, time_in_force, qty, filled_qty, status, created_at) "
            + "VALUES ($1, $2, $3, $4, 'AAPL', 'buy', 'market', 'day', 1, $5, $6, $7)")
        .execute(Tuple.tuple(List.of(id, account, alice, id.toString(), filled, status, OffsetDateTime.now()))));
    return id;
  }
}
