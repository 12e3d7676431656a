package com.portfoliostream.simulator.stream;

import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One market-data socket: its key once authenticated, its subscriptions (trades, quotes, bars;
 * {@code *} means every symbol), and its outbound queue of frames. The queue is bounded by the
 * number of data points it holds: a client that lets more pile up gets 407 and is closed.
 */
final class MarketDataConnection {

  static final String ALL = "*";
  static final List<String> CHANNELS = List.of("trades", "quotes", "bars");

  final ServerWebSocket socket;
  private final int maxQueuedPoints;
  private final Map<String, Set<String>> subscriptions = Map.of(
      "trades", new LinkedHashSet<>(), "quotes", new LinkedHashSet<>(), "bars", new LinkedHashSet<>());
  private final ArrayDeque<JsonArray> queue = new ArrayDeque<>();
  private int queuedPoints;
  String keyId;
  long authTimer;
  boolean closed;

  MarketDataConnection(ServerWebSocket socket, int maxQueuedPoints) {
    this.socket = socket;
    this.maxQueuedPoints = maxQueuedPoints;
    socket.drainHandler(v -> flush());
  }

  boolean wants(String channel, String symbol) {
    Set<String> symbols = subscriptions.get(channel);
    return symbols.contains(symbol) || symbols.contains(ALL);
  }

  /**
   * Applies a subscribe or unsubscribe; false (nothing changed) when a channel would hold more
   * than {@code maxSymbols} symbols.
   */
  boolean change(JsonObject request, boolean subscribe, int maxSymbols) {
    for (String channel : CHANNELS) {
      Set<String> after = new LinkedHashSet<>(subscriptions.get(channel));
      List<String> symbols = symbols(request, channel);
      if (subscribe) {
        after.addAll(symbols);
      } else {
        after.removeAll(symbols);
      }
      if (after.size() > maxSymbols) {
        return false;
      }
    }
    for (String channel : CHANNELS) {
      List<String> symbols = symbols(request, channel);
      if (subscribe) {
        subscriptions.get(channel).addAll(symbols);
      } else if (symbols.contains(ALL)) {
        subscriptions.get(channel).clear();
      } else {
        subscriptions.get(channel).removeAll(symbols);
      }
    }
    return true;
  }

  /** Whether every channel of the request is absent or an array of strings. */
  static boolean wellFormed(JsonObject request) {
    Predicate<Object> strings = v -> v == null
        || (v instanceof JsonArray a && a.stream().allMatch(s -> s instanceof String));
    return CHANNELS.stream().allMatch(channel -> strings.test(request.getValue(channel)));
  }

  /** The FULL current subscription, whatever the last request changed. */
  String subscriptionFrame() {
    JsonObject message = new JsonObject().put("T", "subscription");
    CHANNELS.forEach(channel -> message.put(channel, new JsonArray(List.copyOf(subscriptions.get(channel)))));
    return new JsonArray().add(message).encode();
  }

  /** Queues one batch of data points; false when the queue overflowed (the caller answers 407). */
  boolean enqueue(JsonArray points) {
    queue.add(points);
    queuedPoints += points.size();
    flush();
    return queuedPoints <= maxQueuedPoints;
  }

  void send(String frame) {
    socket.writeTextMessage(frame);
  }

  private void flush() {
    while (!queue.isEmpty() && !socket.writeQueueFull() && !closed) {
      JsonArray points = queue.poll();
      queuedPoints -= points.size();
      socket.writeTextMessage(points.encode());
    }
  }

  private static List<String> symbols(JsonObject request, String channel) {
    JsonArray array = request.getJsonArray(channel);
    return array == null ? List.of() : array.stream().map(String.class::cast).toList();
  }
}
