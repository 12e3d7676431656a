package com.portfoliostream.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.math.BigDecimal;
import java.util.concurrent.TimeUnit;

/**
 * The broker simulator's control API ({@code /sim/control}, the simulator's public contract) seen
 * from another JVM: cut trading streams, move prices, and read back what the broker holds for an
 * API key. Blocking: call it from a test's or a benchmark's own thread, never an event loop.
 */
public final class SimulatorControl {

  private static final String PREFIX = "/sim/control";
  private static final int TIMEOUT_SECONDS = 30;

  private final WebClient web;
  private final int port;
  private final String token;

  public SimulatorControl(Vertx vertx, int port, String token) {
    this.web = WebClient.create(vertx);
    this.port = port;
    this.token = token;
  }

  /** Cuts every key's trading streams at once, without a close frame. */
  public void dropAllTradingStreams() throws Exception {
    mutate("/trading-streams/drop", new JsonObject());
  }

  /** Sets the last trade price of {@code symbol} (the market-data stream carries it as a trade). */
  public void setPrice(String symbol, BigDecimal price) throws Exception {
    mutate("/prices", new JsonObject().put("symbol", symbol).put("price", price.toPlainString()));
  }

  /** Opens an account at the simulator: its key, secret, cash and holdings ({symbol, qty, side, avg_entry_price}). */
  public void addAccount(String keyId, String secret, BigDecimal cash, JsonArray holdings) throws Exception {
    mutate("/accounts", new JsonObject().put("key_id", keyId).put("secret", secret).put("cash", cash.toPlainString())
        .put("holdings", holdings));
  }

  public JsonObject account(String keyId) throws Exception {
    return read("/accounts/" + keyId + "/account").bodyAsJsonObject();
  }

  public JsonArray orders(String keyId) throws Exception {
    return read("/accounts/" + keyId + "/orders").bodyAsJsonArray();
  }

  public JsonArray positions(String keyId) throws Exception {
    return read("/accounts/" + keyId + "/positions").bodyAsJsonArray();
  }

  /** Every FILL activity of the key, oldest first. */
  public JsonArray fills(String keyId) throws Exception {
    return read("/accounts/" + keyId + "/fills").bodyAsJsonArray();
  }

  private void mutate(String path, JsonObject body) throws Exception {
    HttpResponse<Buffer> answer = call(HttpMethod.POST, path).sendJsonObject(body)
        .await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    expect(204, path, answer);
  }

  private HttpResponse<Buffer> read(String path) throws Exception {
    HttpResponse<Buffer> answer = call(HttpMethod.GET, path).send().await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    expect(200, path, answer);
    return answer;
  }

  private HttpRequest<Buffer> call(HttpMethod method, String path) {
    return web.request(method, port, "127.0.0.1", PREFIX + path).putHeader("Authorization", "Bearer " + token);
  }

  private static void expect(int status, String path, HttpResponse<Buffer> answer) {
    if (answer.statusCode() != status) {
      throw new IllegalStateException("simulator control " + path + " answered " + answer.statusCode() + ": "
          + answer.bodyAsString());
    }
  }
}
