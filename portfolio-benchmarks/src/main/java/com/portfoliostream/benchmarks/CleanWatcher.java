package com.portfoliostream.benchmarks;

import com.portfoliostream.web.Paths;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The clean user's one socket, subscribed to positions, sending an application ping every
 * 100 ms: the pong latencies, the longest silence between two pongs, and whether the socket
 * stayed open, are what the hostile traffic must not disturb.
 */
final class CleanWatcher {

  static final long PING_EVERY_MS = 100;
  private final Vertx vertx;
  private final ArrayDeque<Long> pingsSentNanos = new ArrayDeque<>();
  private final List<Long> latencyMicros = new ArrayList<>();
  private long lastPongNanos;
  private long longestSilenceNanos;
  private long messages;
  private volatile String closedWith;
  private WebSocketClient client;
  private WebSocket socket;
  private long timer;

  CleanWatcher(Vertx vertx) {
    this.vertx = vertx;
  }

  void open(int port, FuzzSession user) throws Exception {
    client = vertx.createWebSocketClient();
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
        .setURI(Paths.PORTFOLIO_SOCKET).setHeaders(MultiMap.caseInsensitiveMultiMap().add("Cookie", user.cookie()));
    socket = client.connect(options).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    socket.textMessageHandler(this::received);
    socket.closeHandler(v -> closedWith = socket.closeStatusCode() + " " + socket.closeReason());
    socket.writeTextMessage("{\"type\":\"subscribe\",\"channels\":[\"positions\"]}");
  }

  /** Starts the pings; the silence is measured from now. */
  synchronized void startPinging() {
    lastPongNanos = System.nanoTime();
    timer = vertx.setPeriodic(PING_EVERY_MS, id -> ping());
  }

  private void ping() {
    synchronized (this) {
      pingsSentNanos.add(System.nanoTime());
    }
    socket.writeTextMessage("{\"type\":\"ping\"}");
  }

  private synchronized void received(String text) {
    messages++;
    if (!"pong".equals(new JsonObject(text).getString("type")) || pingsSentNanos.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    latencyMicros.add((now - pingsSentNanos.poll()) / 1_000);
    longestSilenceNanos = Math.max(longestSilenceNanos, now - lastPongNanos);
    lastPongNanos = now;
  }

  /** Stops pinging and returns the figures; a silence still running at the end counts too. */
  synchronized Map<String, Object> stop() {
    vertx.cancelTimer(timer);
    longestSilenceNanos = Math.max(longestSilenceNanos, System.nanoTime() - lastPongNanos);
    List<Long> sorted = new ArrayList<>(latencyMicros);
    Collections.sort(sorted);
    Map<String, Long> micros = LatencyBook.summarize(sorted);
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("pongs", (long) sorted.size());
    figures.put("pingsUnanswered", (long) pingsSentNanos.size());
    figures.put("messagesReceived", messages);
    figures.put("longestSilenceMs", longestSilenceNanos / 1_000_000);
    Map<String, Object> ms = new LinkedHashMap<>();
    micros.forEach((key, value) -> ms.put(key, key.equals("count") ? value : EdgeLoadBenchmark.round(value / 1000.0)));
    figures.put("pongLatencyMs", ms);
    figures.put("socketClosed", closedWith == null ? "no" : closedWith);
    return figures;
  }

  void close() {
    if (socket != null) {
      socket.close();
    }
  }
}
