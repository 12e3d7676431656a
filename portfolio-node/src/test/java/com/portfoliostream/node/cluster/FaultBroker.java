package com.portfoliostream.node.cluster;

import com.portfoliostream.demo.DemoPortfolio;
import com.portfoliostream.simulator.SimulatorSettings;
import com.portfoliostream.simulator.SimulatorVerticle;
import com.portfoliostream.simulator.rest.ControlRoutes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The broker of an ingest fault test: the simulator in this JVM on {@code host} (prices move only
 * when told), fills produced for every demo account on a timer (market orders of one MSFT share,
 * buy and sell in turn, placed over its REST API as another client of the account would), what it
 * says happened, and its trading-stream connection counts per key, read over its control API and
 * sampled so that the most ever seen open at once is known from both ends.
 */
final class FaultBroker implements AutoCloseable {

  /** The demo accounts' key ids and secrets: every account the demo seeds. */
  static final Map<String, String> KEYS = keys();
  private static final Duration SAMPLE_EVERY = Duration.ofMillis(200);

  private final Vertx vertx;
  private final SimulatorVerticle simulator;
  private final WebClient web;
  private final String host;
  private final AtomicInteger placed = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();
  private final Map<String, Integer> mostSampled = new ConcurrentHashMap<>();
  private long fillTimer = -1;
  private long sampleTimer = -1;
  private boolean buy = true;

  private FaultBroker(Vertx vertx, SimulatorVerticle simulator, String host) {
    this.vertx = vertx;
    this.simulator = simulator;
    this.web = WebClient.create(vertx);
    this.host = host;
  }

  static FaultBroker start(Vertx vertx, String host) throws Exception {
    SimulatorSettings manual = SimulatorSettings.manualMarket(100_000);
    SimulatorVerticle simulator = new SimulatorVerticle(new SimulatorSettings(0, host, manual.seed(), 0,
        manual.volatilityPercent(), manual.partialFillQty(), manual.partialFillDelayMs(), manual.requestsPerMinute(),
        manual.clockMode(), manual.authTimeoutMs(), manual.maxSymbols(), manual.maxQueuedPoints(),
        manual.barIntervalMs(), ""));
    vertx.deployVerticle(simulator).await(30, TimeUnit.SECONDS);
    FaultBroker broker = new FaultBroker(vertx, simulator, host);
    broker.sampleTimer = vertx.setPeriodic(SAMPLE_EVERY.toMillis(), id -> broker.sample());
    return broker;
  }

  private static Map<String, String> keys() {
    Map<String, String> keys = new HashMap<>();
    DemoPortfolio.USERS.forEach(u -> u.account().ifPresent(a -> keys.put(a.apiKeyId(), a.apiSecret())));
    return Map.copyOf(keys);
  }

  /** The broker URLs a node of the test is given. */
  Map<String, String> settings() {
    String base = host + ":" + simulator.actualPort();
    return Map.of("BROKER_API_URL", "http://" + base, "BROKER_STREAM_URL", "ws://" + base + "/stream",
        "MARKET_DATA_URL", "ws://" + base + "/v2/iex");
  }

  /** Places an order for every account every {@code every}, until {@link #stopFills}. */
  void produceFills(Duration every) {
    fillTimer = vertx.setPeriodic(every.toMillis(), id -> {
      String side = buy ? "buy" : "sell";
      buy = !buy;
      KEYS.forEach((key, secret) -> place(key, secret, side));
    });
  }

  void stopFills() {
    vertx.cancelTimer(fillTimer);
  }

  private void place(String key, String secret, String side) {
    JsonObject order = new JsonObject().put("symbol", "MSFT").put("qty", "1").put("side", side)
        .put("type", "market").put("time_in_force", "day").put("client_order_id", UUID.randomUUID().toString());
    web.post(simulator.actualPort(), host, "/v2/orders").putHeader("APCA-API-KEY-ID", key)
        .putHeader("APCA-API-SECRET-KEY", secret).sendJsonObject(order)
        .onSuccess(response -> (response.statusCode() == 200 ? placed : refused).incrementAndGet())
        .onFailure(e -> refused.incrementAndGet());
  }

  int ordersPlaced() {
    return placed.get();
  }

  int ordersRefused() {
    return refused.get();
  }

  /**
   * Per key: {@code open}, its authenticated trading streams now, and {@code max_open}, the most
   * open at once since the simulator started, as {@code GET /sim/control/trading-streams} says.
   */
  JsonObject streamCounts() throws Exception {
    var response = web.get(simulator.actualPort(), host, ControlRoutes.PREFIX + "/trading-streams")
        .putHeader("Authorization", "Bearer " + simulator.controlToken()).send().await(10, TimeUnit.SECONDS);
    if (response.statusCode() != 200) {
      throw new AssertionError("the control API answered " + response.statusCode() + ": " + response.bodyAsString());
    }
    return response.bodyAsJsonObject();
  }

  /** How many of the key's streams are authenticated now (0 when it never had one). */
  int open(String key) throws Exception {
    JsonObject counts = streamCounts().getJsonObject(key);
    return counts == null ? 0 : counts.getInteger("open");
  }

  /** The most streams of {@code key} open at once: the simulator's own count, and the samples'. */
  int mostOpen(String key) throws Exception {
    JsonObject counts = streamCounts().getJsonObject(key);
    int counted = counts == null ? 0 : counts.getInteger("max_open");
    return Math.max(counted, mostSampled.getOrDefault(key, 0));
  }

  private void sample() {
    simulator.tradingStreamCounts().onSuccess(counts -> counts.forEach(entry -> mostSampled.merge(entry.getKey(),
        ((JsonObject) entry.getValue()).getInteger("open"), Math::max)));
  }

  /** The execution ids of the key's fills at the broker. */
  Set<String> executions(String key) throws Exception {
    Set<String> ids = new HashSet<>();
    for (Object fill : simulator.fills(key).await(10, TimeUnit.SECONDS)) {
      String id = ((JsonObject) fill).getString("id");
      ids.add(id.substring(id.indexOf("::") + 2));
    }
    return ids;
  }

  /** The key's positions at the broker: symbol to signed quantity. */
  Map<String, BigDecimal> positions(String key) throws Exception {
    Map<String, BigDecimal> positions = new HashMap<>();
    JsonArray list = simulator.positions(key).await(10, TimeUnit.SECONDS);
    for (Object p : list) {
      JsonObject position = (JsonObject) p;
      BigDecimal qty = new BigDecimal(position.getString("qty")).abs();
      positions.put(position.getString("symbol"),
          ("short".equals(position.getString("side")) ? qty.negate() : qty).stripTrailingZeros());
    }
    return positions;
  }

  static List<String> keyIds() {
    return KEYS.keySet().stream().sorted().toList();
  }

  @Override
  public void close() {
    vertx.cancelTimer(fillTimer);
    vertx.cancelTimer(sampleTimer);
    web.close();
  }
}
