package com.portfoliostream.simulator;

import static com.portfoliostream.simulator.SimulatorHarness.holding;
import static com.portfoliostream.simulator.SimulatorHarness.order;
import static com.portfoliostream.simulator.SimulatorHarness.sample;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.OffsetDateTime;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The simulator's trading REST API")
class RestApiTest extends SimulatorTestBase {

  @Test
  @DisplayName("GET /v2/account answers every field of Alpaca's account, decimals as strings")
  void account() throws Exception {
    String key = sim.account("10000", holding("AAPL", "10", "long", "170"), holding("TSLA", "5", "short", "250"));

    HttpResponse<Buffer> response = sim.get(key, "/v2/account");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject account = response.bodyAsJsonObject();
    Shapes.assertSameShape(account, new JsonObject(sample("account")), Set.of("daytrade_count"));
    assertThat(account.getValue("daytrade_count")).isInstanceOf(Number.class);
    assertThat(account.getString("cash")).isEqualTo("10000");
    assertThat(account.getString("long_market_value")).isEqualTo("1755");
    assertThat(account.getString("short_market_value")).isEqualTo("-1241");
    assertThat(account.getString("equity")).isEqualTo("10514");
    assertThat(account.getString("last_equity")).isEqualTo("10514");
    assertThat(account.getString("buying_power")).isEqualTo("18032");
  }

  @Test
  @DisplayName("GET /v2/positions and /v2/positions/{symbol} answer Alpaca's positions, shorts with negative qty")
  void positions() throws Exception {
    String key = sim.account("10000", holding("AAPL", "10", "long", "170"), holding("TSLA", "5", "short", "250"));

    JsonArray positions = sim.get(key, "/v2/positions").bodyAsJsonArray();
    JsonObject tsla = sim.get(key, "/v2/positions/TSLA").bodyAsJsonObject();
    HttpResponse<Buffer> missing = sim.get(key, "/v2/positions/META");

    assertThat(positions).hasSize(2);
    Shapes.assertSameShape(positions.getJsonObject(0), new JsonObject(sample("position")));
    assertThat(positions.getJsonObject(0).getString("symbol")).isEqualTo("AAPL");
    assertThat(positions.getJsonObject(0).getString("unrealized_pl")).isEqualTo("55");
    assertThat(tsla.getString("qty")).isEqualTo("-5");
    assertThat(tsla.getString("side")).isEqualTo("short");
    assertThat(tsla.getString("market_value")).isEqualTo("-1241");
    assertThat(tsla.getString("unrealized_pl")).isEqualTo("9");
    assertError(missing, 404, 40410000);
  }

  @Test
  @DisplayName("POST /v2/orders answers Alpaca's order; it is found by id and by client_order_id")
  void placeAndFind() throws Exception {
    String key = sim.account("100000");
    JsonObject request = new JsonObject(sample("order_post_request_equity")).put("client_order_id", "ours-1");

    HttpResponse<Buffer> placed = sim.post(key, "/v2/orders", request);

    assertThat(placed.statusCode()).isEqualTo(200);
    JsonObject order = placed.bodyAsJsonObject();
    Shapes.assertSameShape(order, new JsonObject(sample("order_equity_limit_accepted")));
    Shapes.assertSameShape(order, new JsonObject(sample("order")));
    assertThat(order.getString("status")).isEqualTo("accepted");
    assertThat(order.getString("qty")).isEqualTo("2");
    assertThat(order.getString("limit_price")).isEqualTo("150");
    String id = order.getString("id");
    assertThat(sim.get(key, "/v2/orders/" + id).bodyAsJsonObject().getString("client_order_id")).isEqualTo("ours-1");
    assertThat(sim.get(key, "/v2/orders:by_client_order_id?client_order_id=ours-1").bodyAsJsonObject()
        .getString("id")).isEqualTo(id);
  }

  @Test
  @DisplayName("answers 422 to a duplicate client_order_id and to invalid fields, with Alpaca's error body")
  void invalidOrders() throws Exception {
    String key = sim.account("100000");
    JsonObject first = order("AAPL", "1", "buy", "market", "day").put("client_order_id", "same");

    assertThat(sim.post(key, "/v2/orders", first).statusCode()).isEqualTo(200);
    assertError(sim.post(key, "/v2/orders", first), 422, 40010001);
    HttpResponse<Buffer> noQty = sim.post(key, "/v2/orders", order("AAPL", "1", "buy", "market", "day").putNull("qty"));
    assertThat(noQty.statusCode()).isEqualTo(422);
    assertThat(noQty.bodyAsJsonObject()).isEqualTo(new JsonObject(sample("rest_error_422_sdk_fixture")));
    assertError(sim.post(key, "/v2/orders", order("AAPL", "1", "hold", "market", "day")), 422, 40010001);
    assertError(sim.post(key, "/v2/orders", order("AAPL", "1", "buy", "limit", "day")), 422, 40010001);
    assertError(sim.post(key, "/v2/orders", order("NOPE", "1", "buy", "market", "day")), 422, 40010001);
  }

  @Test
  @DisplayName("answers 403 insufficient buying power to an order the account cannot afford")
  void insufficientBuyingPower() throws Exception {
    String key = sim.account("1000");

    HttpResponse<Buffer> response = sim.post(key, "/v2/orders", order("AAPL", "12", "buy", "market", "day"));

    assertError(response, 403, 40310000);
    assertThat(response.bodyAsJsonObject().getString("message")).isEqualTo("insufficient buying power");
  }

  @Test
  @DisplayName("answers 404 to an unknown order id, for GET and DELETE")
  void unknownOrder() throws Exception {
    String key = sim.account("1000");

    assertError(sim.get(key, "/v2/orders/61e69015-8549-4bfd-b9c3-01e75843f47d"), 404, 40410000);
    assertError(sim.delete(key, "/v2/orders/61e69015-8549-4bfd-b9c3-01e75843f47d"), 404, 40410000);
    assertError(sim.get(key, "/v2/orders:by_client_order_id?client_order_id=nope"), 404, 40410000);
  }

  @Test
  @DisplayName("GET /v2/orders filters by status, time and symbol, sorts by direction and honours limit")
  void listOrders() throws Exception {
    String key = sim.account("100000");
    String filled = sim.post(key, "/v2/orders", order("AAPL", "1", "buy", "market", "day")).bodyAsJsonObject().getString("id");
    Thread.sleep(5);
    String open1 = place(key, order("MSFT", "1", "buy", "limit", "gtc").put("limit_price", "100"));
    Thread.sleep(5);
    String open2 = place(key, order("AAPL", "1", "buy", "limit", "gtc").put("limit_price", "100"));
    awaitStatus(key, filled, "filled");

    assertThat(ids(key, "/v2/orders")).containsExactly(open2, open1);
    assertThat(ids(key, "/v2/orders?status=closed")).containsExactly(filled);
    assertThat(ids(key, "/v2/orders?status=all&direction=asc")).containsExactly(filled, open1, open2);
    assertThat(ids(key, "/v2/orders?status=all&limit=1")).containsExactly(open2);
    assertThat(ids(key, "/v2/orders?status=all&symbols=AAPL")).containsExactly(open2, filled);
    String openedAt = sim.get(key, "/v2/orders/" + open1).bodyAsJsonObject().getString("submitted_at");
    assertThat(ids(key, "/v2/orders?status=all&after=" + openedAt)).containsExactly(open2);
    assertThat(ids(key, "/v2/orders?status=all&until=" + openedAt)).containsExactly(filled);
    assertError(sim.get(key, "/v2/orders?status=pending"), 422, 40010001);
  }

  @Test
  @DisplayName("DELETE /v2/orders cancels every open order and answers 207 with each one")
  void cancelAll() throws Exception {
    String key = sim.account("100000");
    String open = place(key, order("AAPL", "1", "buy", "limit", "gtc").put("limit_price", "100"));

    HttpResponse<Buffer> response = sim.delete(key, "/v2/orders");

    assertThat(response.statusCode()).isEqualTo(207);
    assertThat(response.bodyAsJsonArray().getJsonObject(0).getString("id")).isEqualTo(open);
    assertThat(response.bodyAsJsonArray().getJsonObject(0).getInteger("status")).isEqualTo(200);
    awaitStatus(key, open, "canceled");
    assertError(sim.delete(key, "/v2/orders/" + open), 422, 42210000);
  }

  @Test
  @DisplayName("GET /v2/account/activities/FILL answers Alpaca's fill activities, paged by page_token")
  void fillActivities() throws Exception {
    String key = sim.account("100000");
    String first = sim.post(key, "/v2/orders", order("AAPL", "2", "buy", "market", "day")).bodyAsJsonObject().getString("id");
    awaitStatus(key, first, "filled");
    Thread.sleep(5);
    String second = sim.post(key, "/v2/orders", order("AAPL", "1", "sell", "market", "day")).bodyAsJsonObject().getString("id");
    awaitStatus(key, second, "filled");

    JsonArray all = sim.get(key, "/v2/account/activities/FILL?direction=asc").bodyAsJsonArray();
    JsonArray page1 = sim.get(key, "/v2/account/activities/FILL?page_size=1").bodyAsJsonArray();
    String token = page1.getJsonObject(0).getString("id");
    JsonArray page2 = sim.get(key, "/v2/account/activities/FILL?page_size=1&page_token=" + token).bodyAsJsonArray();

    assertThat(all).hasSize(2);
    JsonObject activity = all.getJsonObject(0);
    Shapes.assertSameShape(activity, new JsonObject(sample("account_activity_fill")));
    assertThat(activity.getString("order_id")).isEqualTo(first);
    assertThat(activity.getString("type")).isEqualTo("fill");
    assertThat(activity.getString("price")).isEqualTo("175.5");
    assertThat(activity.getString("id")).matches("\\d{17}::[0-9a-f-]{36}");
    assertThat(page1.getJsonObject(0).getString("order_id")).isEqualTo(second);
    assertThat(page2.getJsonObject(0).getString("order_id")).isEqualTo(first);
  }

  @Test
  @DisplayName("GET /v2/clock says the market is open by default, with New York timestamps")
  void clock() throws Exception {
    JsonObject clock = sim.get(sim.account("1"), "/v2/clock").bodyAsJsonObject();

    assertThat(clock.fieldNames()).containsExactlyInAnyOrder("timestamp", "is_open", "next_open", "next_close");
    assertThat(clock.getBoolean("is_open")).isTrue();
    assertThat(OffsetDateTime.parse(clock.getString("next_close"))).isAfter(OffsetDateTime.parse(clock.getString("timestamp")));
  }

  @Test
  @DisplayName("answers 403 without the key headers and 401 to an unknown key or a wrong secret")
  void authentication() throws Exception {
    String key = sim.account("1000");

    HttpResponse<Buffer> none = sim.http.get(sim.port(), "127.0.0.1", "/v2/account").send().await(10, TimeUnit.SECONDS);
    HttpResponse<Buffer> unknown = sim.get("PKNOSUCHKEY", "/v2/account");
    HttpResponse<Buffer> wrongSecret = sim.request(HttpMethod.GET, key, "/v2/account")
        .putHeader("APCA-API-SECRET-KEY", "wrong").send().await(10, TimeUnit.SECONDS);

    assertError(none, 403, 40310000);
    assertError(unknown, 401, 40110000);
    assertError(wrongSecret, 401, 40110000);
  }

  @Test
  @DisplayName("answers 429 above the request rate of a key, other keys unaffected")
  void rateLimit() throws Exception {
    SimulatorSettings s = SimulatorHarness.settings();
    try (SimulatorHarness limited = SimulatorHarness.start(new SimulatorSettings(0, s.bindHost(), s.seed(), 0,
        s.volatilityPercent(), s.partialFillQty(), s.partialFillDelayMs(), 3, s.clockMode(), s.authTimeoutMs(),
        s.maxSymbols(), s.maxQueuedPoints(), s.barIntervalMs(), s.controlToken()))) {
      String key = limited.account("1000");
      String other = limited.account("1000");
      for (int i = 0; i < 3; i++) {
        assertThat(limited.get(key, "/v2/account").statusCode()).isEqualTo(200);
      }

      assertError(limited.get(key, "/v2/account"), 429, 42910000);
      assertThat(limited.get(other, "/v2/account").statusCode()).isEqualTo(200);
    }
  }

  @Test
  @DisplayName("answers 503 and refuses stream connections while unavailable, and recovers after")
  void unavailable() throws Exception {
    String key = sim.account("1000");

    sim.simulator.setAvailable(false).await();
    HttpResponse<Buffer> down = sim.get(key, "/v2/account");
    Throwable refused = sim.connect("/stream").transform(ar -> Future.succeededFuture(ar.cause()))
        .await(10, TimeUnit.SECONDS);
    sim.simulator.setAvailable(true).await();

    assertError(down, 503, 50310000);
    assertThat(refused).isInstanceOfSatisfying(UpgradeRejectedException.class, e -> assertThat(e.getStatus()).isEqualTo(503));
    assertThat(sim.get(key, "/v2/account").statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("is driven over HTTP under /sim/control: accounts, prices and read-backs")
  void controlOverHttp() throws Exception {
    JsonObject account = new JsonObject().put("key_id", "PKCONTROL").put("secret", "s3cret").put("cash", "5000")
        .put("holdings", new JsonArray().add(new JsonObject().put("symbol", "AAPL").put("qty", "3")
            .put("side", "long").put("avg_entry_price", "150")));
    HttpResponse<Buffer> created = sim.control(HttpMethod.POST, "/accounts").sendJsonObject(account)
        .await(10, TimeUnit.SECONDS);
    HttpResponse<Buffer> priced = sim.control(HttpMethod.POST, "/prices")
        .sendJsonObject(new JsonObject().put("symbol", "AAPL").put("price", "160.00")).await(10, TimeUnit.SECONDS);
    JsonArray positions = sim.control(HttpMethod.GET, "/accounts/PKCONTROL/positions").send()
        .await(10, TimeUnit.SECONDS).bodyAsJsonArray();

    assertThat(created.statusCode()).isEqualTo(204);
    assertThat(priced.statusCode()).isEqualTo(204);
    assertThat(positions.getJsonObject(0).getString("market_value")).isEqualTo("480");
    assertThat(sim.control(HttpMethod.GET, "/accounts/PKNONE/account").send()
        .await(10, TimeUnit.SECONDS).statusCode()).isEqualTo(404);
  }

  private String place(String key, JsonObject order) throws Exception {
    return sim.post(key, "/v2/orders", order).bodyAsJsonObject().getString("id");
  }

  private java.util.List<String> ids(String key, String path) throws Exception {
    return sim.get(key, path).bodyAsJsonArray().stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }

  private void awaitStatus(String key, String id, String status) throws Exception {
    for (int i = 0; i < 200; i++) {
      if (sim.get(key, "/v2/orders/" + id).bodyAsJsonObject().getString("status").equals(status)) {
        return;
      }
      Thread.sleep(25);
    }
    assertThat(sim.get(key, "/v2/orders/" + id).bodyAsJsonObject().getString("status")).isEqualTo(status);
  }

  private static void assertError(HttpResponse<Buffer> response, int status, int code) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("code", "message");
    assertThat(body.getInteger("code")).isEqualTo(code);
  }
}
