package com.portfoliostream.benchmarks;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Latencies seen by the clients, per kind of event, from broker time to receipt. */
final class LatencyBook {

  private final Map<String, List<Long>> samples = new LinkedHashMap<>();
  private long frames;
  private long entities;

  synchronized void record(JsonObject message, long receivedAtMs) {
    String type = message.getString("type");
    JsonObject data = message.getJsonObject("data");
    switch (type) {
      case "position_update" -> position(data, receivedAtMs);
      case "order_update" -> add("order_update", data.getString("updatedAt"), receivedAtMs);
      case "trade_executed" -> add("trade_executed", data.getString("executedAt"), receivedAtMs);
      case "account_update" -> add("account_update (fill)", data.getString("timestamp"), receivedAtMs);
      case "batch" -> batch(data, receivedAtMs);
      default -> {
        return;
      }
    }
    frames++;
  }

  private void batch(JsonObject data, long at) {
    each(data.getJsonArray("positions"), p -> position(p, at));
    each(data.getJsonArray("orders"), o -> add("order_update", o.getString("updatedAt"), at));
    each(data.getJsonArray("trades"), t -> add("trade_executed", t.getString("executedAt"), at));
    if (data.getJsonObject("account") != null) {
      add("account_update (fill)", data.getJsonObject("account").getString("timestamp"), at);
    }
  }

  private void position(JsonObject p, long at) {
    add("fill".equals(p.getString("strategyId")) ? "position_update (fill)" : "position_update (price)",
        p.getString("asOf"), at);
  }

  private static void each(JsonArray array, java.util.function.Consumer<JsonObject> action) {
    if (array != null) {
      array.forEach(o -> action.accept((JsonObject) o));
    }
  }

  private void add(String kind, String brokerTime, long at) {
    entities++;
    samples.computeIfAbsent(kind, k -> new ArrayList<>()).add(at - Instant.parse(brokerTime).toEpochMilli());
  }

  synchronized long frames() {
    return frames;
  }

  synchronized long entities() {
    return entities;
  }

  synchronized java.util.Set<String> kinds() {
    return java.util.Set.copyOf(samples.keySet());
  }

  synchronized List<Long> samples(String kind) {
    return new ArrayList<>(samples.getOrDefault(kind, List.of()));
  }

  static Map<String, Long> summarize(List<Long> sorted) {
    Map<String, Long> row = new LinkedHashMap<>();
    row.put("count", (long) sorted.size());
    if (sorted.isEmpty()) {
      return row;
    }
    row.put("p50", at(sorted, 0.50));
    row.put("p95", at(sorted, 0.95));
    row.put("p99", at(sorted, 0.99));
    row.put("max", sorted.get(sorted.size() - 1));
    return row;
  }

  private static long at(List<Long> sorted, double quantile) {
    int index = (int) Math.ceil(quantile * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
