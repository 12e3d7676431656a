package com.portfoliostream.admin.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The node's cumulative counters and latency buckets at one instant. Two samples subtract into
 * what happened between them.
 */
public record Sample(Instant at, Map<String, Double> counters, SortedMap<Double, Long> latencyBuckets,
    long latencyCount, double latencySum) {

  /** What happened from {@code earlier} to this sample, as JSON (counts, latency buckets). */
  public JsonObject since(Sample earlier) {
    JsonObject delta = new JsonObject().put("seconds", (at.toEpochMilli() - earlier.at.toEpochMilli()) / 1000.0);
    counters.forEach((name, value) -> delta.put(name, (long) (value - earlier.counters.getOrDefault(name, 0.0))));
    SortedMap<Double, Long> buckets = new TreeMap<>();
    latencyBuckets.forEach((bound, count) -> buckets.put(bound, count - earlier.latencyBuckets.getOrDefault(bound, 0L)));
    return delta.put("latency", latency(buckets, latencyCount - earlier.latencyCount, latencySum - earlier.latencySum));
  }

  /** The totals since the node started, as JSON. */
  public JsonObject totals() {
    JsonObject totals = new JsonObject();
    counters.forEach((name, value) -> totals.put(name, value.longValue()));
    return totals.put("latency", latency(latencyBuckets, latencyCount, latencySum));
  }

  private static JsonObject latency(SortedMap<Double, Long> buckets, long count, double sum) {
    JsonArray array = new JsonArray();
    buckets.forEach((bound, c) -> {
      if (c > 0) {
        array.add(new JsonArray().add(bound).add(c));
      }
    });
    return new JsonObject().put("count", count).put("sum", sum).put("buckets", array);
  }
}
