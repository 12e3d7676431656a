package com.portfoliostream.simulator;

import static com.portfoliostream.simulator.SimulatorHarness.sample;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The simulator's market-data stream")
class MarketDataTest extends SimulatorTestBase {

  private static final int MAX_SYMBOLS = 3;
  private static final int MAX_QUEUED_POINTS = 50;
  private static final int BAR_INTERVAL_MS = 200;

  @Override
  protected SimulatorSettings settings() {
    return settings(10_000);
  }

  @ParameterizedTest(name = "/v2/{0}")
  @ValueSource(strings = {"iex", "sip", "test"})
  @DisplayName("says connected, authenticates, and answers subscribe and unsubscribe with the full subscription")
  void handshake(String feed) throws Exception {
    String key = sim.account("1000");
    Frames md = Frames.open(sim.connect("/v2/" + feed));
    assertThat(md.nextText()).isEqualTo(new JsonArray(sample("md_connected")));

    md.send(auth(key, SimulatorHarness.SECRET));
    assertThat(md.nextText()).isEqualTo(new JsonArray(sample("md_authenticated")));

    md.send("{\"action\":\"subscribe\",\"bars\":[\"IBM\"]}");
    md.nextText();
    md.send(sample("md_subscribe_request"));
    assertThat(subscription(md.nextText())).isEqualTo(subscription(new JsonArray(sample("md_subscription"))));

    md.send("{\"action\":\"unsubscribe\",\"bars\":[\"*\"]}");
    assertThat(md.nextText()).isEqualTo(new JsonArray(sample("md_subscription_after_unsubscribe")));
  }

  @Test
  @DisplayName("authenticates a connection by the key headers of its upgrade request, as Alpaca allows")
  void headerAuthentication() throws Exception {
    String key = sim.account("1000");
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(sim.port())
        .setURI("/v2/iex").addHeader("APCA-API-KEY-ID", key).addHeader("APCA-API-SECRET-KEY", SimulatorHarness.SECRET);

    Frames md = Frames.open(sim.sockets.connect(options));

    assertThat(md.nextText()).isEqualTo(new JsonArray(sample("md_connected")));
    assertThat(md.nextText()).isEqualTo(new JsonArray(sample("md_authenticated")));
  }

  @Test
  @DisplayName("batches the trades and quotes of one tick into one array, shaped like Alpaca's points")
  void batchedPoints() throws Exception {
    Frames md = authenticated(sim.account("1000"));
    md.send("{\"action\":\"subscribe\",\"trades\":[\"AAPL\",\"MSFT\"],\"quotes\":[\"AAPL\"]}");
    md.nextText();

    sim.simulator.tick().await();

    JsonArray batch = md.nextText();
    assertThat(batch).hasSize(3);
    assertThat(batch.stream().map(p -> ((JsonObject) p).getString("T") + ((JsonObject) p).getString("S")))
        .containsExactlyInAnyOrder("tAAPL", "qAAPL", "tMSFT");
    JsonObject trade = find(batch, "t");
    JsonObject quote = find(batch, "q");
    Shapes.assertSameShape(trade, new JsonObject(sample("md_trade")));
    Shapes.assertSameShape(quote, new JsonObject(sample("md_quote")));
    assertThat(trade.getValue("p")).isInstanceOf(Number.class);
  }

  @Test
  @DisplayName("publishes minute bars to bar subscribers, shaped like Alpaca's")
  void bars() throws Exception {
    Frames md = authenticated(sim.account("1000"));
    md.send("{\"action\":\"subscribe\",\"bars\":[\"AAPL\"]}");
    md.nextText();

    sim.setPrice("AAPL", "176.00");
    sim.setPrice("AAPL", "177.00");

    JsonObject bar = md.nextText().getJsonObject(0);
    Shapes.assertSameShape(bar, new JsonObject(sample("md_bar_sdk_fixture")));
    assertThat(new BigDecimal(bar.getValue("h").toString())).isEqualByComparingTo("177.00");
    assertThat(new BigDecimal(bar.getValue("o").toString())).isEqualByComparingTo("176.00");
  }

  @Test
  @DisplayName("sends nothing while paused, and resumes after")
  void paused() throws Exception {
    Frames md = authenticated(sim.account("1000"));
    md.send("{\"action\":\"subscribe\",\"trades\":[\"AAPL\"]}");
    md.nextText();

    sim.simulator.pauseMarketData(true).await();
    sim.setPrice("AAPL", "180.00");
    md.assertQuietFor(300);
    sim.simulator.pauseMarketData(false).await();
    sim.setPrice("AAPL", "181.00");

    assertThat(new BigDecimal(md.nextText().getJsonObject(0).getValue("p").toString())).isEqualByComparingTo("181");
  }

  @Test
  @DisplayName("answers 400 to a frame that is not JSON, 401 to a subscribe before auth, 402 to a wrong secret")
  void protocolErrors() throws Exception {
    String key = sim.account("1000");
    Frames md = Frames.open(sim.connect("/v2/iex"));
    md.nextText();

    md.send("not json");
    assertThat(md.nextText()).isEqualTo(new JsonArray(sample("md_error_400_invalid_syntax")));
    md.send(sample("md_subscribe_request"));
    assertThat(md.nextText()).isEqualTo(new JsonArray(sample("md_error_401_not_authenticated")));
    md.send(auth(key, "wrong"));
    assertThat(md.nextText()).isEqualTo(new JsonArray(sample("md_error_402_auth_failed")));
  }

  @Test
  @DisplayName("answers 403 to a second auth and 405 to a subscription above the symbol limit")
  void alreadyAuthenticatedAndSymbolLimit() throws Exception {
    String key = sim.account("1000");
    Frames md = authenticated(key);

    md.send(auth(key, SimulatorHarness.SECRET));
    assertThat(md.nextText()).isEqualTo(new JsonArray(sample("md_error_403_already_authenticated")));
    md.send("{\"action\":\"subscribe\",\"trades\":[\"AAPL\",\"MSFT\",\"TSLA\",\"NVDA\"]}");
    assertThat(md.nextText()).isEqualTo(new JsonArray(sample("md_error_405_symbol_limit_exceeded")));
    md.send("{\"action\":\"subscribe\",\"trades\":[\"AAPL\"]}");
    assertThat(md.nextText().getJsonObject(0).getJsonArray("trades")).containsExactly("AAPL");
  }

  @Test
  @DisplayName("answers a second connection with the same key 406 and closes it; the first one keeps going")
  void oneConnectionPerKey() throws Exception {
    String key = sim.account("1000");
    Frames first = authenticated(key);
    Frames second = Frames.open(sim.connect("/v2/sip"));
    second.nextText();

    second.send(auth(key, SimulatorHarness.SECRET));

    assertThat(second.nextText()).isEqualTo(new JsonArray(sample("md_error_406_connection_limit_exceeded")));
    second.awaitClose();
    first.send("{\"action\":\"subscribe\",\"trades\":[\"AAPL\"]}");
    assertThat(first.nextText().getJsonObject(0).getString("T")).isEqualTo("subscription");
  }

  @Test
  @DisplayName("answers 409 and closes a key without a SIP subscription on /v2/sip; the same key authenticates on /v2/iex")
  void insufficientSubscription() throws Exception {
    String key = sim.account("1000");
    int status = sim.control(HttpMethod.POST, "/accounts/" + key + "/subscription")
        .sendJsonObject(new JsonObject().put("sip", false)).await().statusCode();
    assertThat(status).isEqualTo(204);
    Frames sip = Frames.open(sim.connect("/v2/sip"));
    sip.nextText();

    sip.send(auth(key, SimulatorHarness.SECRET));

    assertThat(sip.nextText()).isEqualTo(new JsonArray(sample("md_error_409_insufficient_subscription")));
    sip.awaitClose();
    Frames iex = Frames.open(sim.connect("/v2/iex"));
    iex.nextText();
    iex.send(auth(key, SimulatorHarness.SECRET));
    assertThat(iex.nextText().getJsonObject(0).getString("msg")).isEqualTo("authenticated");
  }

  @Test
  @DisplayName("answers 404 and closes when a connection does not authenticate in time")
  void authTimeout() throws Exception {
    try (SimulatorHarness quick = SimulatorHarness.start(settings(300))) {
      Frames md = Frames.open(quick.connect("/v2/iex"));
      md.nextText();

      assertThat(md.nextText()).isEqualTo(new JsonArray(sample("md_error_404_auth_timeout")));
      md.awaitClose();
    }
  }

  @Test
  @DisplayName("answers 407 and closes a client that does not read while its bounded queue overflows")
  void slowClient() throws Exception {
    Frames md = authenticated(sim.account("1000"));
    md.send("{\"action\":\"subscribe\",\"trades\":[\"*\"],\"quotes\":[\"*\"]}");
    md.nextText();
    md.socket.pause();

    Future<Void> last = Future.succeededFuture();
    for (int i = 0; i < 30_000 && !md.isClosed(); i++) {
      last = sim.simulator.tick();
      if (i % 1000 == 999) {
        last.await(30, TimeUnit.SECONDS);
      }
    }
    last.await(30, TimeUnit.SECONDS);
    md.socket.resume();

    Frames.Frame error = md.until(f -> f.text().contains("\"error\""));
    assertThat(error.array()).isEqualTo(new JsonArray(sample("md_error_407_slow_client")));
    md.awaitClose();
  }

  private Frames authenticated(String key) throws Exception {
    Frames md = Frames.open(sim.connect("/v2/iex"));
    md.nextText();
    md.send(auth(key, SimulatorHarness.SECRET));
    assertThat(md.nextText()).isEqualTo(new JsonArray(sample("md_authenticated")));
    return md;
  }

  private static String auth(String key, String secret) {
    return new JsonObject().put("action", "auth").put("key", key).put("secret", secret).encode();
  }

  private static SimulatorSettings settings(int authTimeoutMs) {
    SimulatorSettings s = SimulatorHarness.settings();
    return new SimulatorSettings(s.port(), s.bindHost(), s.seed(), s.tickIntervalMs(), s.volatilityPercent(),
        s.partialFillQty(), s.partialFillDelayMs(), s.requestsPerMinute(), s.clockMode(), authTimeoutMs,
        MAX_SYMBOLS, MAX_QUEUED_POINTS, BAR_INTERVAL_MS, s.controlToken());
  }

  /** The subscription as sets per channel: Alpaca's order of symbols is not part of the contract. */
  private static Map<String, Set<Object>> subscription(JsonArray frame) {
    JsonObject message = frame.getJsonObject(0);
    assertThat(message.getString("T")).isEqualTo("subscription");
    return Set.of("trades", "quotes", "bars").stream().collect(Collectors.toMap(c -> c,
        c -> new HashSet<>(message.getJsonArray(c).getList())));
  }

  private static JsonObject find(JsonArray batch, String type) {
    return batch.stream().map(JsonObject.class::cast).filter(p -> p.getString("T").equals(type)).findFirst()
        .orElseThrow();
  }
}
