package com.portfoliostream.simulator;

import com.portfoliostream.demo.DemoPortfolio.Holding;
import com.portfoliostream.simulator.rest.ControlRoutes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A simulator on a free port in this JVM (no ticks, so prices move only when a test moves them),
 * with a plain HTTP and WebSocket client, and a fresh account per test.
 */
final class SimulatorHarness implements AutoCloseable {

  static final String SECRET = "test-secret";

  final Vertx vertx = Vertx.vertx();
  final SimulatorVerticle simulator;
  final WebClient http;
  final WebSocketClient sockets;

  private SimulatorHarness(SimulatorSettings settings) throws Exception {
    simulator = new SimulatorVerticle(settings);
    vertx.deployVerticle(simulator).await(30, TimeUnit.SECONDS);
    http = WebClient.create(vertx);
    sockets = vertx.createWebSocketClient();
  }

  static SimulatorHarness start() throws Exception {
    return start(settings());
  }

  static SimulatorHarness start(SimulatorSettings settings) throws Exception {
    return new SimulatorHarness(settings);
  }

  /** Port 0, seed 7, no ticks, fills of up to 100 shares 50 ms apart, Alpaca's 200 requests a minute. */
  static SimulatorSettings settings() {
    return new SimulatorSettings(0, "127.0.0.1", 7, 0, new BigDecimal("0.1"), new BigDecimal("100"), 50, 200,
        SimulatorSettings.ClockMode.ALWAYS_OPEN, 10_000, 1_000, 10_000, 60_000, "");
  }

  int port() {
    return simulator.actualPort();
  }

  /** A new account with its own key, the given cash and holdings. */
  String account(String cash, Holding... holdings) throws Exception {
    String key = "PKTEST" + UUID.randomUUID().toString().replace("-", "").substring(0, 14).toUpperCase();
    simulator.addAccount(key, SECRET, new BigDecimal(cash), List.of(holdings)).await(10, TimeUnit.SECONDS);
    return key;
  }

  static Holding holding(String symbol, String qty, String side, String avg) {
    return new Holding(symbol, new BigDecimal(qty), side, new BigDecimal(avg));
  }

  HttpRequest<Buffer> request(io.vertx.core.http.HttpMethod method, String key, String path) {
    return http.request(method, port(), "127.0.0.1", path)
        .putHeader("APCA-API-KEY-ID", key).putHeader("APCA-API-SECRET-KEY", SECRET);
  }

  /** A call to {@code /sim/control} + {@code path} with the simulator's control token. */
  HttpRequest<Buffer> control(io.vertx.core.http.HttpMethod method, String path) {
    return http.request(method, port(), "127.0.0.1", ControlRoutes.PREFIX + path)
        .putHeader("Authorization", "Bearer " + simulator.controlToken());
  }

  HttpResponse<Buffer> get(String key, String path) throws Exception {
    return request(io.vertx.core.http.HttpMethod.GET, key, path).send().await(10, TimeUnit.SECONDS);
  }

  HttpResponse<Buffer> post(String key, String path, JsonObject body) throws Exception {
    return request(io.vertx.core.http.HttpMethod.POST, key, path).sendJsonObject(body).await(10, TimeUnit.SECONDS);
  }

  HttpResponse<Buffer> delete(String key, String path) throws Exception {
    return request(io.vertx.core.http.HttpMethod.DELETE, key, path).send().await(10, TimeUnit.SECONDS);
  }

  static JsonObject order(String symbol, String qty, String side, String type, String tif) {
    return new JsonObject().put("symbol", symbol).put("qty", qty).put("side", side).put("type", type)
        .put("time_in_force", tif);
  }

  Future<WebSocket> connect(String path) {
    return sockets.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port()).setURI(path));
  }

  void setPrice(String symbol, String price) throws Exception {
    simulator.setPrice(symbol, new BigDecimal(price)).await(10, TimeUnit.SECONDS);
  }

  static String sample(String name) {
    try (InputStream in = SimulatorHarness.class.getResourceAsStream("/alpaca-samples/" + name + ".json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }
}
