package com.portfoliostream.simulator;

import static com.portfoliostream.simulator.SimulatorHarness.order;
import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.simulator.rest.ControlRoutes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The simulator's control API and decimals from its clients")
class ControlApiTest extends SimulatorTestBase {

  private static final String FORTY_DIGITS = "1234567890123456789012345678901234567890";

  @Test
  @DisplayName("needs the control token: none or a wrong one is 401, and the answer never shows the token")
  void token() throws Exception {
    HttpResponse<Buffer> none = sim.http.get(sim.port(), "127.0.0.1", ControlRoutes.PREFIX + "/accounts/PKNONE/account")
        .send().await(10, TimeUnit.SECONDS);
    HttpResponse<Buffer> wrong = sim.http.post(sim.port(), "127.0.0.1", ControlRoutes.PREFIX + "/tick")
        .putHeader("Authorization", "Bearer " + sim.simulator.controlToken() + "x").send().await(10, TimeUnit.SECONDS);
    HttpResponse<Buffer> basic = sim.http.post(sim.port(), "127.0.0.1", ControlRoutes.PREFIX + "/tick")
        .putHeader("Authorization", "Basic " + sim.simulator.controlToken()).send().await(10, TimeUnit.SECONDS);

    assertError(none, 401, "Authorization");
    assertError(wrong, 401, "Authorization");
    assertError(basic, 401, "Authorization");
    assertThat(wrong.bodyAsString()).doesNotContain(sim.simulator.controlToken());
    assertThat(sim.simulator.controlToken()).hasSizeGreaterThanOrEqualTo(40);
    assertThat(sim.control(HttpMethod.POST, "/tick").send().await(10, TimeUnit.SECONDS).statusCode()).isEqualTo(204);
  }

  @Test
  @DisplayName("answers only to its own Host: a rebound name on the same port is 421, loopback names are served")
  void host() throws Exception {
    HttpResponse<Buffer> rebound = sim.control(HttpMethod.POST, "/tick").virtualHost("attacker.example")
        .send().await(10, TimeUnit.SECONDS);
    HttpResponse<Buffer> localhost = sim.control(HttpMethod.POST, "/tick").virtualHost("localhost")
        .send().await(10, TimeUnit.SECONDS);

    assertError(rebound, 421, "Host");
    assertThat(localhost.statusCode()).isEqualTo(204);
  }

  @ParameterizedTest(name = "a body sent as {0} is 415 and changes nothing")
  @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"})
  void contentType(String type) throws Exception {
    String key = sim.account("10000");

    HttpResponse<Buffer> refused = sim.control(HttpMethod.POST, "/available").putHeader("Content-Type", type)
        .sendBuffer(Buffer.buffer("{\"available\":false}")).await(10, TimeUnit.SECONDS);

    assertError(refused, 415, "Content-Type");
    assertThat(sim.get(key, "/v2/account").statusCode()).as("the simulator is still available").isEqualTo(200);
  }

  @ParameterizedTest(name = "price {0} is 400 naming price; the next tick and the next order succeed")
  @ValueSource(strings = {"\"1e999999999\"", "1e999999999", "\"NaN\"", "\"Infinity\"", "\"-0\"", "\"0\"",
      "\"" + FORTY_DIGITS + "\"", FORTY_DIGITS, "\"1E5\"", "\" 187.25\"", "\"+187.25\"", "0.1234567891", "\"\"", "true"})
  void badPrice(String price) throws Exception {
    String key = sim.account("100000");

    HttpResponse<Buffer> refused = sim.control(HttpMethod.POST, "/prices").putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer("{\"symbol\":\"AAPL\",\"price\":" + price + "}")).await(10, TimeUnit.SECONDS);

    assertError(refused, 400, "price");
    assertThat(refused.bodyAsString()).doesNotContain("1234567890123", "Exception");
    assertMarketWorks(key);
  }

  @Test
  @DisplayName("a plain price, as a string or an exact JSON number, is taken as written")
  void goodPrice() throws Exception {
    String key = sim.account("100000", SimulatorHarness.holding("AAPL", "1", "long", "100"));

    HttpResponse<Buffer> asNumber = sim.control(HttpMethod.POST, "/prices").putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer("{\"symbol\":\"AAPL\",\"price\":187.123456789}")).await(10, TimeUnit.SECONDS);

    assertThat(asNumber.statusCode()).isEqualTo(204);
    assertThat(sim.get(key, "/v2/positions/AAPL").bodyAsJsonObject().getString("current_price"))
        .isEqualTo("187.123456789");
  }

  @Test
  @DisplayName("an account's bad fields are 400 naming each, nested ones by their place; nothing echoes an exception")
  void badAccount() throws Exception {
    JsonObject holding = new JsonObject().put("symbol", "AAPL").put("qty", "1e999999999").put("avg_entry_price", "150");
    JsonObject account = new JsonObject().put("key_id", "PKBAD").put("secret", "s").put("cash", "5000")
        .put("holdings", new JsonArray().add(holding));

    assertError(sim.control(HttpMethod.POST, "/accounts").sendJsonObject(account).await(10, TimeUnit.SECONDS),
        400, "holdings[0].qty");
    assertError(sim.control(HttpMethod.POST, "/accounts").sendJsonObject(account.copy().put("cash", "NaN"))
        .await(10, TimeUnit.SECONDS), 400, "cash");
    assertError(sim.control(HttpMethod.POST, "/accounts").sendJsonObject(new JsonObject().put("secret", "s").put("cash", "1"))
        .await(10, TimeUnit.SECONDS), 400, "key_id");
    assertError(sim.control(HttpMethod.POST, "/prices").sendJsonObject(new JsonObject().put("price", "1"))
        .await(10, TimeUnit.SECONDS), 400, "symbol");
    assertError(sim.control(HttpMethod.POST, "/available").sendJsonObject(new JsonObject().put("available", "no"))
        .await(10, TimeUnit.SECONDS), 400, "available");
    assertError(sim.control(HttpMethod.POST, "/accounts/PKNONE/orders/x/events")
        .sendJsonObject(new JsonObject().put("event", "fill")).await(10, TimeUnit.SECONDS), 400, "event");
    assertError(sim.control(HttpMethod.POST, "/prices").putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer("{\"symbol\":")).await(10, TimeUnit.SECONDS), 400, "JSON object");
    assertThat(sim.simulator.account("PKBAD").otherwise(e -> null).await(10, TimeUnit.SECONDS)).isNull();
  }

  @ParameterizedTest(name = "an order of qty {0} is 422 naming qty; the next order succeeds")
  @ValueSource(strings = {"\"1e999999999\"", "1e999999999", "\"NaN\"", "\"Infinity\"", "\"-0\"", "\"-1\"",
      "\"" + FORTY_DIGITS + "\"", FORTY_DIGITS, "\"1.5e2\"", "0.0000000001", "\" 1\""})
  void badQuantity(String qty) throws Exception {
    String key = sim.account("100000");

    HttpResponse<Buffer> refused = sim.request(HttpMethod.POST, key, "/v2/orders").putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer("{\"symbol\":\"AAPL\",\"qty\":" + qty
            + ",\"side\":\"buy\",\"type\":\"market\",\"time_in_force\":\"day\"}")).await(10, TimeUnit.SECONDS);

    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.bodyAsJsonObject().getString("message")).startsWith("qty ").doesNotContain("1234567890123");
    assertMarketWorks(key);
  }

  @Test
  @DisplayName("limit and stop prices go through the same parser, on a new order and a replace")
  void badOrderPrices() throws Exception {
    String key = sim.account("100000");
    JsonObject limit = order("AAPL", "1", "buy", "limit", "gtc");

    HttpResponse<Buffer> refused = sim.post(key, "/v2/orders", limit.copy().put("limit_price", "Infinity"));
    HttpResponse<Buffer> stop = sim.post(key, "/v2/orders", order("AAPL", "1", "buy", "stop", "gtc")
        .put("stop_price", "1e999999999"));
    String id = sim.post(key, "/v2/orders", limit.copy().put("limit_price", "1.00")).bodyAsJsonObject().getString("id");
    HttpResponse<Buffer> replace = sim.request(HttpMethod.PATCH, key, "/v2/orders/" + id)
        .sendJsonObject(new JsonObject().put("limit_price", FORTY_DIGITS)).await(10, TimeUnit.SECONDS);

    assertThat(refused.bodyAsJsonObject().getString("message")).startsWith("limit_price ");
    assertThat(stop.bodyAsJsonObject().getString("message")).startsWith("stop_price ");
    assertThat(replace.statusCode()).isEqualTo(422);
    assertThat(replace.bodyAsJsonObject().getString("message")).startsWith("limit_price ");
    assertThat(sim.get(key, "/v2/orders/" + id).bodyAsJsonObject().getString("limit_price")).isEqualTo("1");
  }

  /** The next tick and the next order succeed, and the order fills at a sane price. */
  private void assertMarketWorks(String key) throws Exception {
    assertThat(sim.control(HttpMethod.POST, "/tick").send().await(10, TimeUnit.SECONDS).statusCode()).isEqualTo(204);
    HttpResponse<Buffer> next = sim.post(key, "/v2/orders", order("AAPL", "1", "buy", "market", "day"));
    assertThat(next.statusCode()).as(next.bodyAsString()).isEqualTo(200);
    assertThat(sim.simulator.tick().await(10, TimeUnit.SECONDS)).isNull();
    JsonObject filled = sim.get(key, "/v2/orders/" + next.bodyAsJsonObject().getString("id")).bodyAsJsonObject();
    assertThat(filled.getString("status")).isEqualTo("filled");
    assertThat(filled.getString("filled_avg_price")).matches("[0-9]{1,6}(\\.[0-9]+)?");
  }

  private static void assertError(HttpResponse<Buffer> response, int status, String named) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("code", "message");
    assertThat(body.getString("message")).contains(named);
  }
}
