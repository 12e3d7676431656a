package com.portfoliostream.simulator;

import static com.portfoliostream.simulator.SimulatorHarness.holding;
import static com.portfoliostream.simulator.SimulatorHarness.order;
import static com.portfoliostream.simulator.SimulatorHarness.sample;
import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.simulator.rest.ControlRoutes;
import com.portfoliostream.testkit.Eventually;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The simulator's trading stream")
class TradingStreamTest extends SimulatorTestBase {

  @Test
  @DisplayName("authorizes, listens, and sends new then fill for a market order, in binary frames, as the samples show")
  void marketOrderEvents() throws Exception {
    String key = sim.account("100000", holding("AAPL", "10", "long", "170"));
    Frames stream = listening(key);

    JsonObject placed = sim.post(key, "/v2/orders", order("AAPL", "5", "buy", "market", "day")).bodyAsJsonObject();

    assertThat(event(stream.nextBinary())).isEqualTo("pending_new");
    JsonObject created = stream.nextBinary();
    assertThat(event(created)).isEqualTo("new");
    assertThat(created.getJsonObject("data").getJsonObject("order").getString("id")).isEqualTo(placed.getString("id"));
    JsonObject fill = stream.nextBinary();
    JsonObject sampleFill = new JsonObject(sample("trade_update_fill"));
    assertThat(fill.fieldNames()).isEqualTo(sampleFill.fieldNames());
    assertThat(fill.getJsonObject("data").fieldNames()).containsExactlyInAnyOrderElementsOf(
        sampleFill.getJsonObject("data").fieldNames());
    JsonObject data = fill.getJsonObject("data");
    assertThat(data.getString("event")).isEqualTo("fill");
    assertThat(data.getString("qty")).isEqualTo("5");
    assertThat(data.getString("price")).isEqualTo("175.5");
    assertThat(data.getString("position_qty")).isEqualTo("15");
    assertThat(data.getString("execution_id")).isNotBlank();
    assertThat(data.getJsonObject("order").getString("status")).isEqualTo("filled");
    assertThat(data.getJsonObject("order").getString("filled_qty")).isEqualTo("5");
  }

  @Test
  @DisplayName("answers a wrong secret with unauthorized and closes, as Alpaca does")
  void wrongSecret() throws Exception {
    String key = sim.account("1000");
    Frames stream = Frames.open(sim.connect("/stream"));

    stream.send(new JsonObject().put("action", "authenticate")
        .put("data", new JsonObject().put("key_id", key).put("secret_key", "wrong")).encode());

    assertThat(stream.nextBinary()).isEqualTo(new JsonObject(sample("ts_auth_unauthorized")));
    assertThat(stream.awaitClose()).isEqualTo((short) 1008);
  }

  @Test
  @DisplayName("answers a listen before authenticating with unauthorized and closes")
  void listenBeforeAuth() throws Exception {
    Frames stream = Frames.open(sim.connect("/stream"));

    stream.send(sample("ts_listen_request"));

    assertThat(stream.nextBinary()).isEqualTo(new JsonObject(sample("ts_listen_unauthorized")));
    assertThat(stream.awaitClose()).isEqualTo((short) 1008);
  }

  @Test
  @DisplayName("fills an order above the partial-fill size in partial fills that sum to its quantity")
  void partialFills() throws Exception {
    String key = sim.account("1000000");
    Frames stream = listening(key);

    sim.post(key, "/v2/orders", order("MSFT", "250", "buy", "market", "gtc"));

    List<JsonObject> fills = fills(stream, 3);
    assertThat(fills).extracting(f -> f.getString("event")).containsExactly("partial_fill", "partial_fill", "fill");
    assertThat(fills).extracting(f -> f.getString("qty")).containsExactly("100", "100", "50");
    assertThat(fills).extracting(f -> f.getString("position_qty")).containsExactly("100", "200", "250");
    assertThat(fills).extracting(f -> f.getString("execution_id")).doesNotHaveDuplicates();
    assertThat(fills.get(2).getJsonObject("order").getString("filled_qty")).isEqualTo("250");
  }

  @Test
  @DisplayName("fills a limit order only when the price crosses its limit, at the crossing price")
  void limitOrderCrossing() throws Exception {
    String key = sim.account("100000");
    Frames stream = listening(key);
    JsonObject limit = order("NVDA", "10", "buy", "limit", "gtc").put("limit_price", "480");

    place(stream, key, limit);
    sim.setPrice("NVDA", "485.00");
    stream.assertQuietFor(300);
    sim.setPrice("NVDA", "479.50");

    JsonObject fill = stream.nextBinary().getJsonObject("data");
    assertThat(fill.getString("event")).isEqualTo("fill");
    assertThat(fill.getString("price")).isEqualTo("479.5");
    assertThat(fill.getString("position_qty")).isEqualTo("10");
  }

  @Test
  @DisplayName("sends pending_cancel then canceled when an open order is canceled")
  void cancel() throws Exception {
    String key = sim.account("100000");
    Frames stream = listening(key);
    String id = place(stream, key, order("AAPL", "1", "buy", "limit", "gtc").put("limit_price", "100"));

    assertThat(sim.delete(key, "/v2/orders/" + id).statusCode()).isEqualTo(204);

    assertThat(event(stream.nextBinary())).isEqualTo("pending_cancel");
    JsonObject canceled = stream.nextBinary().getJsonObject("data");
    assertThat(canceled.getString("event")).isEqualTo("canceled");
    assertThat(canceled.getJsonObject("order").getString("canceled_at")).isNotNull();
  }

  @Test
  @DisplayName("replaces an open order on PATCH: the old one says pending_replace then replaced, the new one replaces it")
  void replace() throws Exception {
    String key = sim.account("100000");
    Frames stream = listening(key);
    String old = place(stream, key, order("AAPL", "2", "buy", "limit", "gtc").put("limit_price", "150"));

    JsonObject replacement = sim.request(HttpMethod.PATCH, key, "/v2/orders/" + old)
        .sendJsonObject(new JsonObject().put("limit_price", "160").put("qty", "3")).await().bodyAsJsonObject();

    JsonObject pending = stream.nextBinary().getJsonObject("data");
    assertThat(pending.getString("event")).isEqualTo("pending_replace");
    assertThat(pending.getJsonObject("order").getString("status")).isEqualTo("pending_replace");
    JsonObject replaced = stream.nextBinary().getJsonObject("data");
    assertThat(replaced.getString("event")).isEqualTo("replaced");
    assertThat(replaced.getJsonObject("order").getString("replaced_by")).isEqualTo(replacement.getString("id"));
    assertThat(replacement.getString("replaces")).isEqualTo(old);
    assertThat(replacement.getString("limit_price")).isEqualTo("160");
    assertThat(replacement.getString("qty")).isEqualTo("3");
    assertThat(event(stream.nextBinary())).isEqualTo("pending_new");
    assertThat(event(stream.nextBinary())).isEqualTo("new");
  }

  @Test
  @DisplayName("a refused cancel or replace is a 422 and, on the stream, order_cancel_rejected or order_replace_rejected")
  void refusedCancelAndReplace() throws Exception {
    String key = sim.account("100000");
    Frames stream = listening(key);
    String id = place(stream, key, order("AAPL", "1", "buy", "market", "day"));
    assertThat(event(stream.nextBinary())).isEqualTo("fill");

    assertThat(sim.delete(key, "/v2/orders/" + id).statusCode()).isEqualTo(422);
    JsonObject cancelRejected = stream.nextBinary().getJsonObject("data");
    assertThat(cancelRejected.getString("event")).isEqualTo("order_cancel_rejected");
    assertThat(cancelRejected.getJsonObject("order").getString("status")).isEqualTo("filled");

    assertThat(sim.request(HttpMethod.PATCH, key, "/v2/orders/" + id)
        .sendJsonObject(new JsonObject().put("qty", "2")).await().statusCode()).isEqualTo(422);
    assertThat(event(stream.nextBinary())).isEqualTo("order_replace_rejected");
  }

  @Test
  @DisplayName("sends the exchange's stopped, suspended and calculated events on demand, the order taking that status")
  void exchangeEvents() throws Exception {
    String key = sim.account("100000");
    Frames stream = listening(key);
    String id = place(stream, key, order("AAPL", "1", "buy", "limit", "gtc").put("limit_price", "100"));

    for (String name : new String[] {"stopped", "suspended", "calculated"}) {
      int status = sim.control(io.vertx.core.http.HttpMethod.POST, "/accounts/" + key + "/orders/" + id + "/events")
          .sendJsonObject(new JsonObject().put("event", name)).await().statusCode();
      assertThat(status).isEqualTo(204);
      JsonObject update = stream.nextBinary().getJsonObject("data");
      assertThat(update.getString("event")).isEqualTo(name);
      assertThat(update.getJsonObject("order").getString("status")).isEqualTo(name);
    }
  }

  @Test
  @DisplayName("expires open day orders at the simulated close, done_for_day first for a partly filled one")
  void closeOfDay() throws Exception {
    String key = sim.account("1000000");
    Frames stream = listening(key);
    String partly = place(stream, key, order("AAPL", "150", "buy", "limit", "day").put("limit_price", "175"));
    sim.setPrice("AAPL", "174.00");
    assertThat(event(stream.nextBinary())).isEqualTo("partial_fill");
    sim.setPrice("AAPL", "176.00");
    String unfilled = place(stream, key, order("AAPL", "1", "buy", "limit", "day").put("limit_price", "100"));
    place(stream, key, order("AAPL", "1", "buy", "limit", "gtc").put("limit_price", "100"));

    sim.simulator.closeDay().await();

    List<String> events = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      JsonObject data = stream.nextBinary().getJsonObject("data");
      events.add(data.getString("event") + " " + data.getJsonObject("order").getString("id"));
    }
    assertThat(events).containsExactly("done_for_day " + partly, "expired " + partly, "expired " + unfilled);
    stream.assertQuietFor(200);
  }

  @Test
  @DisplayName("rejects a stop order whose fill, after a price gap, the account can no longer afford")
  void rejectedAfterGap() throws Exception {
    String key = sim.account("1000");
    Frames stream = listening(key);
    place(stream, key, order("AAPL", "10", "buy", "stop", "gtc").put("stop_price", "180"));

    sim.setPrice("AAPL", "300");

    JsonObject rejected = stream.nextBinary().getJsonObject("data");
    assertThat(rejected.getString("event")).isEqualTo("rejected");
    assertThat(rejected.getJsonObject("order").getString("failed_at")).isNotNull();
  }

  @Test
  @DisplayName("cuts a key's streams when told to, leaving other keys' streams up")
  void dropStreams() throws Exception {
    String key = sim.account("100000");
    String other = sim.account("100000");
    Frames stream = listening(key);
    Frames otherStream = listening(other);

    sim.simulator.dropTradingStreams(key).await();

    stream.awaitClose();
    sim.post(other, "/v2/orders", order("AAPL", "1", "buy", "market", "day"));
    assertThat(event(otherStream.nextBinary())).isEqualTo("pending_new");
    assertThat(otherStream.isClosed()).isFalse();
  }

  @Test
  @DisplayName("counts each key's authenticated streams, now and the most at once, on the guarded control API")
  void connectionCounts() throws Exception {
    String key = sim.account("100000");
    Frames first = listening(key);
    Frames second = listening(key);
    Frames.open(sim.connect("/stream"));

    first.socket.close().await();
    Eventually.eventually(java.time.Duration.ofSeconds(10), "the closed stream no longer counted",
        () -> streamCounts().getJsonObject(key).getInteger("open") == 1);

    assertThat(streamCounts().getJsonObject(key)).isEqualTo(new JsonObject().put("open", 1).put("max_open", 2));
    assertThat(second.isClosed()).isFalse();
    assertThat(sim.http.get(sim.port(), "127.0.0.1", ControlRoutes.PREFIX + "/trading-streams").send()
        .await().statusCode()).as("without the control token").isEqualTo(401);
  }

  private JsonObject streamCounts() throws Exception {
    return sim.control(HttpMethod.GET, "/trading-streams").send().await().bodyAsJsonObject();
  }

  @Test
  @DisplayName("cuts every key's streams at once through POST /sim/control/trading-streams/drop")
  void dropEveryStream() throws Exception {
    Frames stream = listening(sim.account("100000"));
    Frames otherStream = listening(sim.account("100000"));

    int status = sim.control(io.vertx.core.http.HttpMethod.POST, "/trading-streams/drop")
        .sendJsonObject(new JsonObject()).await(10, java.util.concurrent.TimeUnit.SECONDS).statusCode();

    assertThat(status).isEqualTo(204);
    stream.awaitClose();
    otherStream.awaitClose();
  }

  private Frames listening(String key) throws Exception {
    Frames stream = Frames.open(sim.connect("/stream"));
    stream.send(sample("ts_auth_request").replace("{YOUR_API_KEY_ID}", key)
        .replace("{YOUR_API_SECRET_KEY}", SimulatorHarness.SECRET));
    assertThat(stream.nextBinary()).isEqualTo(new JsonObject(sample("ts_auth_authorized")));
    stream.send(sample("ts_listen_request"));
    assertThat(stream.nextBinary()).isEqualTo(new JsonObject(sample("ts_listening")));
    return stream;
  }

  /** Places an order and reads its pending_new and new events; returns its id. */
  private String place(Frames stream, String key, JsonObject order) throws Exception {
    String id = sim.post(key, "/v2/orders", order).bodyAsJsonObject().getString("id");
    assertThat(event(stream.nextBinary())).isEqualTo("pending_new");
    assertThat(event(stream.nextBinary())).isEqualTo("new");
    return id;
  }

  private static List<JsonObject> fills(Frames stream, int count) throws Exception {
    List<JsonObject> fills = new ArrayList<>();
    while (fills.size() < count) {
      JsonObject data = stream.nextBinary().getJsonObject("data");
      if (data.getString("event").endsWith("fill")) {
        fills.add(data);
      }
    }
    BigDecimal total = fills.stream().map(f -> new BigDecimal(f.getString("qty"))).reduce(BigDecimal.ZERO, BigDecimal::add);
    assertThat(total).isPositive();
    return fills;
  }

  private static String event(JsonObject message) {
    assertThat(message.getString("stream")).isEqualTo("trade_updates");
    return message.getJsonObject("data").getString("event");
  }
}
