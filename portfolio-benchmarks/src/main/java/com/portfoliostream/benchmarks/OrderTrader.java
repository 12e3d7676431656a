package com.portfoliostream.benchmarks;

import com.portfoliostream.web.Paths;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A signed-in trader of the order benchmarks: places market orders through {@code POST /api/orders}
 * as a browser does (session cookie, CSRF token, an idempotency key each) and watches a socket for
 * each order's {@code order_update} with status {@code filled}. Whichever of the REST answer and
 * the socket's fill comes first creates the order's entry; {@link #forget} ends it.
 */
final class OrderTrader {

  /** An order the node did not accept (any answer but 202), with what it said. */
  static final class Refused extends RuntimeException {
    final int status;

    Refused(int status, String body) {
      super("order answered " + status + ": " + body);
      this.status = status;
    }
  }

  private final Vertx vertx;
  private final WebClient web;
  private final int port;
  /** Order id → when the socket delivered it filled (System.nanoTime). */
  private final Map<String, CompletableFuture<Long>> fills = new ConcurrentHashMap<>();
  private volatile String session;
  private volatile String xsrf;
  private WebSocketClient sockets;
  private WebSocket socket;

  private OrderTrader(Vertx vertx, int port) {
    this.vertx = vertx;
    this.port = port;
    this.web = WebClient.create(vertx);
  }

  /** Signs {@code username} in (a GET for the CSRF cookie, then the login). */
  static OrderTrader signIn(Vertx vertx, int port, String username, String password) throws Exception {
    OrderTrader trader = new OrderTrader(vertx, port);
    HttpResponse<Buffer> health = trader.web.get(port, "127.0.0.1", Paths.API_HEALTH).send()
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    trader.remember(health.cookies());
    HttpResponse<Buffer> login = trader.web.post(port, "127.0.0.1", Paths.LOGIN)
        .putHeader("Content-Type", "application/json").putHeader("X-XSRF-TOKEN", trader.xsrf)
        .putHeader("Cookie", trader.cookieHeader())
        .sendBuffer(Buffer.buffer(new JsonObject().put("username", username).put("password", password).encode()))
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    if (login.statusCode() != 200) {
      throw new IllegalStateException("login of " + username + " failed: " + login.statusCode());
    }
    trader.remember(login.cookies());
    return trader;
  }

  /** Opens the trader's socket, subscribed to {@code channels} (a JSON array). */
  void openSocket(String channels) throws Exception {
    sockets = vertx.createWebSocketClient();
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
        .setURI(Paths.PORTFOLIO_SOCKET).setHeaders(MultiMap.caseInsensitiveMultiMap().add("Cookie", session));
    socket = sockets.connect(options).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    socket.textMessageHandler(text -> received(new JsonObject(text), System.nanoTime()));
    socket.writeTextMessage("{\"type\":\"subscribe\",\"channels\":" + channels + "}");
  }

  /** A market order of {@code qty} shares; the order id once the node accepted it (202), else {@link Refused}. */
  Future<String> place(String symbol, String side, String qty) {
    JsonObject order = new JsonObject().put("symbol", symbol).put("side", side).put("type", "market")
        .put("qty", qty).put("timeInForce", "day");
    return web.post(port, "127.0.0.1", Paths.ORDERS)
        .putHeader("Content-Type", "application/json").putHeader("X-XSRF-TOKEN", xsrf)
        .putHeader("Cookie", cookieHeader())
        .putHeader("Idempotency-Key", UUID.randomUUID().toString())
        .sendBuffer(Buffer.buffer(order.encode()))
        .compose(answer -> {
          if (answer.statusCode() != 202) {
            return Future.failedFuture(new Refused(answer.statusCode(), answer.bodyAsString()));
          }
          remember(answer.cookies());
          return Future.succeededFuture(answer.bodyAsJsonObject().getString("orderId"));
        });
  }

  /** Completes with the moment (System.nanoTime) the socket delivered {@code orderId} filled. */
  CompletableFuture<Long> filled(String orderId) {
    return fills.computeIfAbsent(orderId, id -> new CompletableFuture<>());
  }

  void forget(String orderId) {
    fills.remove(orderId);
  }

  /**
   * Drops fills the socket delivered over {@code ageNanos} ago that nobody claimed (a repeated
   * {@code filled}, say), so that the map stays bounded over a long run; returns how many.
   */
  int forgetUnclaimed(long ageNanos) {
    int before = fills.size();
    long now = System.nanoTime();
    fills.values().removeIf(fill -> fill.isDone() && !fill.isCompletedExceptionally() && now - fill.join() > ageNanos);
    return before - fills.size();
  }

  private void received(JsonObject message, long at) {
    JsonArray orders = switch (message.getString("type")) {
      case "order_update" -> new JsonArray().add(message.getJsonObject("data"));
      case "batch" -> message.getJsonObject("data").getJsonArray("orders", new JsonArray());
      default -> new JsonArray();
    };
    for (int i = 0; i < orders.size(); i++) {
      JsonObject order = orders.getJsonObject(i);
      if ("filled".equals(order.getString("status"))) {
        filled(order.getString("orderId")).complete(at);
      }
    }
  }

  private String cookieHeader() {
    return "XSRF-TOKEN=" + xsrf + (session == null ? "" : "; " + session);
  }

  private void remember(List<String> setCookies) {
    for (String setCookie : setCookies) {
      String[] pair = setCookie.split(";", 2)[0].split("=", 2);
      if (pair[0].equals("XSRF-TOKEN")) {
        xsrf = pair[1];
      } else if (pair[0].equals("session")) {
        session = "session=" + pair[1];
      }
    }
  }

  void close() {
    if (socket != null) {
      socket.close();
      sockets.close();
    }
    web.close();
  }
}
