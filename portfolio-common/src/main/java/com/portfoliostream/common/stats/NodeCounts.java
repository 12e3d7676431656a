package com.portfoliostream.common.stats;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.EnumMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A node's counts over a span: since it started (no {@code seconds}), or over the last minute
 * (how many seconds it measured). Part of {@link NodeStats}, with its JSON mapping.
 */
public record NodeCounts(Double seconds, Map<Count, Long> counts, Latency latency) {

  private static final String SECONDS = "seconds";
  private static final String LATENCY = "latency";
  private static final String COUNT = "count";
  private static final String SUM = "sum";
  private static final String BUCKETS = "buckets";

  /** What a node counts, by the names they have in the message. */
  public enum Count {
    EVENTS_EMITTED("eventsEmitted"),
    EVENTS_DELIVERED("eventsDelivered"),
    MESSAGES_DELIVERED("messagesDelivered"),
    FRAMES_SENT("framesSent"),
    DISCONNECTS("disconnects"),
    ERROR_DISCONNECTS("errorDisconnects"),
    RECONNECTS("reconnects"),
    AUTH_FAILURES("authFailures"),
    /** Connection attempts the browser clients reported (connecting and reconnecting). */
    CLIENT_ATTEMPTS("clientAttempts"),
    /** Connections the browser clients reported established. */
    CLIENT_CONNECTED("clientConnected"),
    /** Falls back to REST polling the browser clients reported. */
    CLIENT_FALLBACKS("clientFallbacks");

    private final String wire;

    Count(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }
  }

  /**
   * Event latency over the span: how many, their sum in milliseconds, and the cumulative bucket
   * counts by upper bound ({@code [[upperBoundMs, count], ...]} in JSON).
   */
  public record Latency(long count, double sum, SortedMap<Double, Long> buckets) {

    public static final Latency NONE = new Latency(0, 0, new TreeMap<>());

    JsonObject toJson() {
      JsonArray array = new JsonArray();
      buckets.forEach((bound, c) -> array.add(new JsonArray().add(bound).add(c)));
      return new JsonObject().put(COUNT, count).put(SUM, sum).put(BUCKETS, array);
    }

    static Latency fromJson(JsonObject json) {
      if (json == null) {
        return NONE;
      }
      return new Latency(json.getLong(COUNT, 0L), json.getDouble(SUM, 0.0),
          buckets(json.getJsonArray(BUCKETS, new JsonArray())));
    }

    /** Buckets given as {@code [[upperBoundMs, count], ...]}. */
    public static SortedMap<Double, Long> buckets(JsonArray array) {
      SortedMap<Double, Long> buckets = new TreeMap<>();
      for (int i = 0; i < array.size(); i++) {
        JsonArray bucket = array.getJsonArray(i);
        buckets.merge(bucket.getDouble(0), bucket.getLong(1), Long::sum);
      }
      return buckets;
    }
  }

  /** The count of {@code count}, 0 when the node did not report it. */
  public long get(Count count) {
    return counts.getOrDefault(count, 0L);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (seconds != null) {
      json.put(SECONDS, seconds);
    }
    counts.forEach((count, value) -> json.put(count.wire(), value));
    return json.put(LATENCY, latency.toJson());
  }

  /** Known counters only; missing ones read as absent (0). */
  static NodeCounts fromJson(JsonObject json) {
    if (json == null) {
      return new NodeCounts(null, new EnumMap<>(Count.class), Latency.NONE);
    }
    Map<Count, Long> counts = new EnumMap<>(Count.class);
    for (Count count : Count.values()) {
      if (json.getValue(count.wire()) instanceof Number n) {
        counts.put(count, n.longValue());
      }
    }
    return new NodeCounts(json.getDouble(SECONDS), counts, Latency.fromJson(json.getJsonObject(LATENCY)));
  }
}
