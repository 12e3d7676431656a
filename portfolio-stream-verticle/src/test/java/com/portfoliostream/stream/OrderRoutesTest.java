package com.portfoliostream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.testkit.Fixtures;
import com.portfoliostream.common.orders.OrderJobs;
import com.portfoliostream.events.model.OrderStatus;
import com.portfoliostream.testkit.EdgeCluster;
import com.portfoliostream.testkit.TestClient;
import com.portfoliostream.testkit.TestSocket;
import com.portfoliostream.stream.orders.NewOrder;
import com.portfoliostream.stream.orders.OrderDesk;
import com.portfoliostream.stream.orders.OrderForm;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * POST, GET and DELETE of /api/orders on a real stream node, with no order workers running: what
 * the edge itself decides (validation, idempotency, who may cancel what) and what it writes (the
 * order and its job in one transaction).
 */
@DisplayName("Order REST endpoints at the edge")
class OrderRoutesTest {

  static EdgeCluster<StreamVerticle> cluster;
  static UUID alice;
  TestClient client;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = EdgeCluster.start(1, Map.of(), StreamEdge.ROLE);
    alice = Fixtures.userId(cluster.pool(), "alice");
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  @BeforeEach
  void signIn() throws Exception {
    client = signedIn("alice");
  }

  private static TestClient signedIn(String user) throws Exception {
    TestClient c = new TestClient(cluster.clients(), cluster.node(0).port());
    assertThat(c.login(user, EdgeCluster.PASSWORD).statusCode()).isEqualTo(200);
    return c;
  }

  private static JsonObject market(String qty) {
    return new JsonObject().put("symbol", "AAPL").put("side", "buy").put("type", "market").put("qty", qty)
        .put("timeInForce", "day");
  }

  private static HttpResponse<Buffer> post(TestClient c, JsonObject body, String key) throws Exception {
    Map<String, String> headers = new HashMap<>(Map.of("Content-Type", "application/json",
        "X-XSRF-TOKEN", c.cookie("XSRF-TOKEN")));
    if (key != null) {
      headers.put("Idempotency-Key", key);
    }
    return c.send(HttpMethod.POST, "/api/orders", body.encode(), headers);
  }

  private static HttpResponse<Buffer> delete(TestClient c, String orderId) throws Exception {
    return c.send(HttpMethod.DELETE, "/api/orders/" + orderId, null, Map.of("X-XSRF-TOKEN", c.cookie("XSRF-TOKEN")));
  }

  private static Row row(String sql, Object... params) throws Exception {
    return EdgeCluster.await(cluster.pool().preparedQuery(sql).execute(Tuple.from(params))).iterator().next();
  }

  @Test
  @DisplayName("a valid order is answered 202 with the order, pending_new, and written with its submit job")
  void accepted() throws Exception {
    JsonObject body = new JsonObject().put("symbol", "msft").put("side", "sell").put("type", "stop_limit")
        .put("qty", "2.5").put("limitPrice", "401.10").put("stopPrice", "402").put("timeInForce", "gtc")
        .put("strategyId", "mean-revert:v2");

    HttpResponse<Buffer> response = post(client, body, null);

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(202);
    JsonObject order = response.bodyAsJsonObject();
    assertThat(order.getString("status")).isEqualTo("pending_new");
    assertThat(order.getString("symbol")).isEqualTo("MSFT");
    assertThat(order.getString("qty")).isEqualTo("2.5");
    assertThat(order.getString("limitPrice")).isEqualTo("401.10");
    assertThat(order.getString("stopPrice")).isEqualTo("402.00");
    assertThat(order.getString("timeInForce")).isEqualTo("gtc");
    assertThat(order.getString("strategyId")).isEqualTo("mean-revert:v2");
    assertThat(response.getHeader("Location")).isEqualTo("/api/orders/" + order.getString("orderId"));
    UUID id = UUID.fromString(order.getString("orderId"));
    Row job = row("SELECT kind, status, attempts FROM order_jobs WHERE order_id = $1", id);
    assertThat(job.getString("kind")).isEqualTo("submit");
    assertThat(job.getString("status")).isEqualTo("queued");
    Row stored = row("SELECT user_id, client_order_id FROM orders WHERE id = $1", id);
    assertThat(stored.getUUID("user_id")).isEqualTo(alice);
    assertThat(stored.getString("client_order_id")).isEqualTo(id.toString());
    assertThat(client.get("/api/orders/" + id).bodyAsJsonObject().getString("orderId")).isEqualTo(id.toString());
  }

  static Stream<Arguments> invalidOrders() {
    return Stream.of(
        Arguments.of(market("1").put("symbol", "AAPL!"), "symbol"),
        Arguments.of(market("1").put("symbol", "AAPL\u0000"), "symbol"),
        Arguments.of(market("1").put("symbol", " AAPL"), "symbol"),
        Arguments.of(market("1").put("symbol", ""), "symbol"),
        Arguments.of(market("1").put("symbol", "A".repeat(21)), "symbol"),
        Arguments.of(market("1").put("side", "short"), "side"),
        Arguments.of(market("1").put("type", "trailing_stop"), "type"),
        Arguments.of(market("1").put("timeInForce", "opg"), "timeInForce"),
        Arguments.of(market("1").putNull("timeInForce"), "timeInForce"),
        Arguments.of(market("0"), "qty"),
        Arguments.of(market("-5"), "qty"),
        Arguments.of(market("abc"), "qty"),
        Arguments.of(market("1e3"), "qty"),
        Arguments.of(market("1").put("qty", 1.5), "qty"),
        Arguments.of(market("0.0000000001"), "qty"),
        Arguments.of(market("1234567890123456"), "qty"),
        Arguments.of(market("1e999999999"), "qty"),
        Arguments.of(market("1").put("qty", new java.math.BigDecimal("1e999999999")), "qty"),
        Arguments.of(market("NaN"), "qty"),
        Arguments.of(market("Infinity"), "qty"),
        Arguments.of(market("-0"), "qty"),
        Arguments.of(market(" 10"), "qty"),
        Arguments.of(market("+10"), "qty"),
        Arguments.of(market("1234567890123456789012345678901234567890"), "qty"),
        Arguments.of(market("1").put("type", "limit").put("limitPrice", "1.5e2"), "limitPrice"),
        Arguments.of(market("1").put("type", "limit").put("limitPrice", "0.1234567890123456789012345678901234567890"),
            "limitPrice"),
        Arguments.of(market("1").put("type", "stop").put("stopPrice", "-Infinity"), "stopPrice"),
        Arguments.of(market("1").put("type", "limit"), "limitPrice"),
        Arguments.of(market("1").put("type", "stop"), "stopPrice"),
        Arguments.of(market("1").put("type", "stop_limit").put("limitPrice", "10"), "stopPrice"),
        Arguments.of(market("1").put("limitPrice", "10"), "limitPrice"),
        Arguments.of(market("1").put("type", "limit").put("limitPrice", "0"), "limitPrice"),
        Arguments.of(market("1").put("strategyId", "has space"), "strategyId"),
        Arguments.of(market("1").put("limit_price", "10"), "limit_price"));
  }

  @ParameterizedTest(name = "{1}: {0}")
  @MethodSource("invalidOrders")
  @DisplayName("an invalid order is answered 400 naming the bad field, and nothing is written")
  void invalid(JsonObject body, String field) throws Exception {
    long before = row("SELECT count(*) FROM orders").getLong(0);

    HttpResponse<Buffer> response = post(client, body, null);

    assertThat(response.statusCode()).isEqualTo(400);
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("INVALID_REQUEST");
    assertThat(error.getJsonObject("details").fieldNames()).containsExactly(field);
    assertThat(response.bodyAsString()).as("the refusal does not repeat a long value")
        .doesNotContain("1234567890123456789", "999999999");
    assertThat(row("SELECT count(*) FROM orders").getLong(0)).isEqualTo(before);
  }

  @Test
  @DisplayName("every bad field of one order is named at once; a body that is not a JSON object is a 400 too")
  void everyProblemAtOnce() throws Exception {
    JsonObject body = new JsonObject().put("symbol", "??").put("side", "up").put("qty", "0");

    JsonObject details = post(client, body, null).bodyAsJsonObject().getJsonObject("error").getJsonObject("details");

    assertThat(details.fieldNames()).containsExactlyInAnyOrder("symbol", "side", "type", "qty", "timeInForce");
    HttpResponse<Buffer> notJson = client.send(HttpMethod.POST, "/api/orders", "[1,2]",
        Map.of("Content-Type", "application/json", "X-XSRF-TOKEN", client.cookie("XSRF-TOKEN")));
    assertThat(notJson.statusCode()).isEqualTo(400);
    HttpResponse<Buffer> badKey = post(client, market("1"), "has spaces in it");
    assertThat(badKey.statusCode()).isEqualTo(400);
    assertThat(badKey.bodyAsJsonObject().getJsonObject("error").getJsonObject("details").fieldNames())
        .containsExactly("Idempotency-Key");
  }

  @Test
  @DisplayName("without a session 401, without the CSRF token 403, and an admin without a broker account 409")
  void guarded() throws Exception {
    TestClient anonymous = new TestClient(cluster.clients(), cluster.node(0).port());
    anonymous.get("/api/health");
    assertThat(post(anonymous, market("1"), null).statusCode()).isEqualTo(401);

    HttpResponse<Buffer> noToken = client.send(HttpMethod.POST, "/api/orders", market("1").encode(),
        Map.of("Content-Type", "application/json"));
    assertThat(noToken.statusCode()).isEqualTo(403);
    assertThat(noToken.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("CSRF_TOKEN_INVALID");

    HttpResponse<Buffer> admin = post(signedIn("admin"), market("1"), null);
    assertThat(admin.statusCode()).isEqualTo(409);
    assertThat(admin.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("NO_BROKER_ACCOUNT");
  }

  @Test
  @DisplayName("four orders placed at once from one session are all accepted, and every copy of the session's cookies can place the next one")
  void concurrentOrdersOfOneSession() throws Exception {
    List<TestClient> tabs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      tabs.add(client.onPort(cluster.node(0).port()));
    }
    List<java.util.concurrent.CompletableFuture<Integer>> atOnce = new ArrayList<>();
    for (TestClient tab : tabs) {
      atOnce.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return post(tab, market("1"), null).statusCode();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    for (java.util.concurrent.CompletableFuture<Integer> placed : atOnce) {
      assertThat(placed.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(202);
    }
    // Each copy kept whatever cookies its own answer set: a token rotated by one of the four answers
    // but lost in the race for the session's write would be refused here.
    for (TestClient tab : tabs) {
      HttpResponse<Buffer> next = post(tab, market("1"), null);
      assertThat(next.statusCode()).as(next.bodyAsString()).isEqualTo(202);
    }
  }

  @Test
  @DisplayName("a retried request with the same Idempotency-Key returns the same order, never a second one")
  void idempotentRetry() throws Exception {
    String key = "retry-" + UUID.randomUUID();

    HttpResponse<Buffer> first = post(client, market("3"), key);
    HttpResponse<Buffer> second = post(client, market("3"), key);

    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(second.statusCode()).isEqualTo(202);
    String id = first.bodyAsJsonObject().getString("orderId");
    assertThat(second.bodyAsJsonObject().getString("orderId")).isEqualTo(id);
    assertThat(row("SELECT count(*) FROM orders WHERE idempotency_key = $1", key).getLong(0)).isEqualTo(1);
    assertThat(row("SELECT count(*) FROM order_jobs WHERE order_id = $1::uuid", id).getLong(0)).isEqualTo(1);

    HttpResponse<Buffer> different = post(client, market("4"), key);
    assertThat(different.statusCode()).isEqualTo(409);
    JsonObject error = different.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("IDEMPOTENCY_KEY_REUSED");
    assertThat(error.getJsonObject("details").getString("orderId")).isEqualTo(id);

    HttpResponse<Buffer> bobsSameKey = post(signedIn("bob"), market("3"), key);
    assertThat(bobsSameKey.statusCode()).as("keys are per user").isEqualTo(202);
    assertThat(bobsSameKey.bodyAsJsonObject().getString("orderId")).isNotEqualTo(id);
  }

  @Test
  @DisplayName("a user's order rate holds under concurrency: of ten placements at once only the quota's remainder is taken, the rest are refused with a wait")
  void orderRateQuota() throws Exception {
    long lastMinute = row("SELECT count(*) FROM orders WHERE user_id = $1 AND created_at > now() - interval '1 minute'",
        alice).getLong(0);
    OrderDesk desk = new OrderDesk(cluster.pool(), 10_000, new OrderJobs.UserQuota((int) lastMinute + 3, 100_000));
    NewOrder order = OrderForm.read(market("1")).order().orElseThrow();
    List<Future<OrderDesk.Placement>> placements = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      placements.add(desk.place(alice, order, null));
    }
    Future.join(placements).await(30, java.util.concurrent.TimeUnit.SECONDS);

    assertThat(placements).filteredOn(p -> p.result() instanceof OrderDesk.Placed).hasSize(3);
    assertThat(placements).filteredOn(p -> p.result() instanceof OrderDesk.RateLimited limited
        && limited.retryAfterSeconds() >= 1 && limited.retryAfterSeconds() <= 60).hasSize(7);
  }

  @Test
  @DisplayName("a user's open-order quota holds: the next order is refused until one is final")
  void openOrderQuota() throws Exception {
    String[] openStatuses = java.util.Arrays.stream(OrderStatus.values()).filter(st -> !st.isTerminal())
        .map(OrderStatus::wire).toArray(String[]::new);
    long open = row("SELECT count(*) FROM orders WHERE user_id = $1 AND status = ANY($2)", alice, openStatuses)
        .getLong(0);
    OrderDesk desk = new OrderDesk(cluster.pool(), 10_000, new OrderJobs.UserQuota(100_000, (int) open + 2));
    NewOrder order = OrderForm.read(market("1")).order().orElseThrow();
    List<Future<OrderDesk.Placement>> placements = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      placements.add(desk.place(alice, order, null));
    }
    Future.join(placements).await(30, java.util.concurrent.TimeUnit.SECONDS);

    assertThat(placements).filteredOn(p -> p.result() instanceof OrderDesk.Placed).hasSize(2);
    assertThat(placements).filteredOn(p -> p.result() instanceof OrderDesk.TooManyOpen).hasSize(3);
  }

  @Test
  @DisplayName("twenty concurrent placements with one Idempotency-Key make exactly one order and one job")
  void concurrentRetries() throws Exception {
    // Straight at the desk: concurrent requests through one browser session would trip over the
    // CSRF token, which each response renews.
    OrderDesk desk = new OrderDesk(cluster.pool(), 10_000, new OrderJobs.UserQuota(1_000, 1_000));
    NewOrder order = OrderForm.read(market("7")).order().orElseThrow();
    String key = "burst-" + UUID.randomUUID();
    List<Future<OrderDesk.Placement>> placements = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      placements.add(desk.place(alice, order, key));
    }
    Set<String> ids = new HashSet<>();
    for (Future<OrderDesk.Placement> placement : placements) {
      OrderDesk.Placement placed = EdgeCluster.await(placement);
      assertThat(placed).isInstanceOf(OrderDesk.Placed.class);
      ids.add(((OrderDesk.Placed) placed).order().orderId());
    }
    assertThat(ids).hasSize(1);
    assertThat(row("SELECT count(*) FROM order_jobs j JOIN orders o ON o.id = j.order_id WHERE o.idempotency_key = $1",
        key).getLong(0)).isEqualTo(1);
  }

  @Test
  @DisplayName("an order no worker has tried yet is canceled at once; canceling it again is a 409")
  void cancelBeforeSubmission() throws Exception {
    String id = post(client, market("1"), null).bodyAsJsonObject().getString("orderId");

    HttpResponse<Buffer> canceled = delete(client, id);

    assertThat(canceled.statusCode()).isEqualTo(202);
    assertThat(canceled.bodyAsJsonObject().getString("status")).isEqualTo("canceled");
    assertThat(row("SELECT status FROM order_jobs WHERE order_id = $1::uuid AND kind = 'submit'", id).getString(0))
        .isEqualTo("done");
    HttpResponse<Buffer> again = delete(client, id);
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("ORDER_NOT_CANCELABLE");
  }

  @Test
  @DisplayName("a cancel of an order already at the broker queues a cancel job and shows pending_cancel, once")
  void cancelQueued() throws Exception {
    String id = post(client, market("1"), null).bodyAsJsonObject().getString("orderId");
    // As a worker leaves it once the broker has the order.
    EdgeCluster.await(cluster.pool().preparedQuery("UPDATE order_jobs SET status = 'done', attempts = 1 "
        + "WHERE order_id = $1::uuid").execute(Tuple.of(id)));
    EdgeCluster.await(cluster.pool().preparedQuery("UPDATE orders SET status = 'new', broker_order_id = $2 "
        + "WHERE id = $1::uuid").execute(Tuple.of(id, "b-" + id)));

    HttpResponse<Buffer> first = delete(client, id);
    HttpResponse<Buffer> second = delete(client, id);

    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(first.bodyAsJsonObject().getString("status")).isEqualTo("pending_cancel");
    assertThat(second.statusCode()).isEqualTo(202);
    assertThat(second.bodyAsJsonObject().getLong("version")).isEqualTo(first.bodyAsJsonObject().getLong("version"));
    assertThat(row("SELECT count(*) FROM order_jobs WHERE order_id = $1::uuid AND kind = 'cancel' AND status = 'queued'",
        id).getLong(0)).isEqualTo(1);
  }

  @Test
  @DisplayName("someone else's order cannot be seen or canceled (404), nor can an id that is no order")
  void othersOrders() throws Exception {
    String id = post(client, market("1"), null).bodyAsJsonObject().getString("orderId");
    TestClient bob = signedIn("bob");

    assertThat(delete(bob, id).statusCode()).isEqualTo(404);
    assertThat(bob.get("/api/orders/" + id).statusCode()).isEqualTo(404);
    assertThat(delete(bob, "not-a-uuid").statusCode()).isEqualTo(404);
    assertThat(delete(client, UUID.randomUUID().toString()).statusCode()).isEqualTo(404);
    assertThat(row("SELECT status FROM orders WHERE id = $1::uuid", id).getString(0)).isEqualTo("pending_new");
  }

  @Test
  @DisplayName("a filled order cannot be canceled: 409 naming its status")
  void cancelFilled() throws Exception {
    String id = post(client, market("1"), null).bodyAsJsonObject().getString("orderId");
    EdgeCluster.await(cluster.pool().preparedQuery("UPDATE orders SET status = 'filled', filled_qty = qty, "
        + "filled_avg_price = 100 WHERE id = $1::uuid").execute(Tuple.of(id)));

    HttpResponse<Buffer> response = delete(client, id);

    assertThat(response.statusCode()).isEqualTo(409);
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getJsonObject("details").getString("status"))
        .isEqualTo("filled");
  }

  @Test
  @DisplayName("the new order reaches its owner's socket as order_update pending_new, and nobody else's")
  void publishedToOwnerOnly() throws Exception {
    TestClient bob = signedIn("bob");
    try (TestSocket mine = client.admittedSocket(); TestSocket bobs = bob.admittedSocket()) {
      mine.send("{\"type\":\"subscribe\",\"channels\":[\"orders\"]}");
      bobs.send("{\"type\":\"subscribe\",\"channels\":[\"orders\"]}");
      mine.awaitType("snapshot");
      bobs.awaitType("snapshot");

      String id = post(client, market("1"), null).bodyAsJsonObject().getString("orderId");

      JsonObject update = mine.awaitEntity("order", o -> id.equals(o.getString("orderId")), Duration.ofSeconds(5));
      assertThat(update.getString("status")).isEqualTo("pending_new");
      // A marker of bob's own, published after alice's order reached her: once bob has it, the
      // edge has handled everything before it, so alice's order never came to bob.
      Fixtures.publish(cluster.vertx(), Fixtures.order(Fixtures.userId(cluster.pool(), "bob"), "MSFT", OrderStatus.NEW));
      bobs.awaitEntity("order", o -> "MSFT".equals(o.getString("symbol")), Duration.ofSeconds(5));
      assertThat(bobs.entities("order")).noneMatch(o -> id.equals(o.getString("orderId")));
    }
  }
}
