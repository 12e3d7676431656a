package com.portfoliostream.admin.stats;

import com.portfoliostream.common.metrics.MetricNames;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns one {@link Collection} into the {@code websocket-stats} answer: the API reference's and
 * the technical design's fields summed or merged over every stream node, the status by
 * {@link StatusRules}, a per-node breakdown, and every member that did not answer. Pure.
 */
public final class ClusterStats {

  /** Disconnects listed in the answer, newest first, across nodes. */
  public static final int RECENT_DISCONNECTS = 20;

  private ClusterStats() {}

  public static JsonObject of(Collection collection, double uptimePercent) {
    Totals t = Totals.of(collection.answers());
    double disconnectRate = t.lastMinute("disconnects");
    double errorRate = errorRate(t.lastMinute("errorDisconnects"), disconnectRate, t.activeConnections);
    double batchEfficiency = t.total("eventsEmitted") == 0 ? 0 : 1 - t.total("framesSent") / t.total("eventsEmitted");
    StatusRules.Verdict verdict = StatusRules.judge(new StatusRules.Figures(disconnectRate,
        t.latency.percentile(0.95), t.brokerEventAge, t.marketOpen, errorRate, t.streamNodes,
        collection.missing().size()));
    return new JsonObject()
        .put("status", verdict.level().wire())
        .put("statusReasons", new JsonArray(verdict.reasons()))
        .put("enabled", t.realtimeEnabled)
        .put("activeConnections", t.activeConnections)
        .put("totalMessagesDelivered", (long) t.total("framesSent"))
        .put("totalEventsEmitted", (long) t.total("eventsEmitted"))
        .put("avgLatencyMs", round(t.latency.mean(), 1))
        .put("p50LatencyMs", round(t.latency.percentile(0.50), 1))
        .put("p95LatencyMs", round(t.latency.percentile(0.95), 1))
        .put("p99LatencyMs", round(t.latency.percentile(0.99), 1))
        .put("latencySamples", t.latency.count())
        .put("disconnectRate", disconnectRate)
        .put("reconnectSuccessRate", disconnectRate == 0 ? 1.0
            : round(Math.min(1.0, t.lastMinute("reconnects") / disconnectRate), 4))
        .put("batchEfficiency", round(batchEfficiency, 4))
        .put("errorRate", round(errorRate, 4))
        .put("uptimePercent", round(uptimePercent, 2))
        .put("connectionsByUser", t.connectionsByUser(collection.at()))
        .put("performance", new JsonObject()
            .put("batchEfficiency", String.format(Locale.ROOT, "%.1f%%", batchEfficiency * 100))
            .put("disconnectRatePerMinute", String.format(Locale.ROOT, "%.2f", disconnectRate)))
        .put("disconnectsByReason", t.disconnectsByReason)
        .put("recentDisconnects", t.recentDisconnects())
        .put("broker", t.broker())
        .put("orderQueueDepth", t.orderQueueDepth == null ? null : t.orderQueueDepth.longValue())
        .put("nodes", t.nodes)
        .put("missingNodes", missing(collection.missing()))
        .put("generatedAt", collection.at().toString());
  }

  /** Sockets the server failed in the last minute, over the sockets it served in that minute. */
  static double errorRate(double errorDisconnects, double disconnects, long active) {
    double served = active + disconnects;
    return served == 0 ? 0 : errorDisconnects / served;
  }

  private static JsonArray missing(List<String> clusterNodeIds) {
    JsonArray missing = new JsonArray();
    clusterNodeIds.forEach(id -> missing.add(new JsonObject().put("clusterNodeId", id).put("status", "missing")));
    return missing;
  }

  static double round(double value, int places) {
    double scale = Math.pow(10, places);
    return Math.round(value * scale) / scale;
  }

  /** "4h 23m", as the technical design shows a user's connection uptime. */
  static String uptime(Duration duration) {
    return duration.toHours() + "h " + duration.toMinutesPart() + "m";
  }

  /** Sums over the answers. */
  private static final class Totals {
    private final JsonObject totals = new JsonObject();
    private final JsonObject lastMinute = new JsonObject();
    private final LatencyHistogram latency = new LatencyHistogram();
    private final JsonObject disconnectsByReason = new JsonObject();
    private final Map<String, JsonObject> users = new TreeMap<>();
    private final List<JsonObject> disconnects = new ArrayList<>();
    private final JsonArray nodes = new JsonArray();
    private long activeConnections;
    private int streamNodes;
    private boolean realtimeEnabled;
    private boolean marketOpen;
    private Double brokerEventAge;
    private double streamsOwned;
    private Double orderQueueDepth;

    static Totals of(List<JsonObject> answers) {
      Totals t = new Totals();
      answers.stream().sorted(Comparator.comparing(a -> a.getString("nodeId", ""))).forEach(t::add);
      return t;
    }

    private void add(JsonObject answer) {
      JsonObject minute = answer.getJsonObject("lastMinute", new JsonObject());
      addCounts(totals, answer.getJsonObject("totals", new JsonObject()));
      addCounts(lastMinute, minute);
      JsonObject window = minute.getJsonObject("latency", new JsonObject());
      latency.add(window.getJsonArray("buckets", new JsonArray()), window.getLong("count", 0L),
          window.getDouble("sum", 0.0));
      answer.getJsonObject("disconnectsByReason", new JsonObject()).forEach(e ->
          disconnectsByReason.put(e.getKey(), disconnectsByReason.getLong(e.getKey(), 0L) + ((Number) e.getValue()).longValue()));
      JsonObject gauges = answer.getJsonObject("gauges", new JsonObject());
      addGauges(gauges);
      JsonObject edge = answer.getJsonObject("edge");
      if (edge != null) {
        streamNodes++;
        realtimeEnabled |= edge.getBoolean("realtimeEnabled", false);
        addEdge(answer.getString("nodeId"), edge);
      }
      nodes.add(node(answer, minute, gauges, edge != null));
    }

    private static void addCounts(JsonObject into, JsonObject counts) {
      counts.forEach(e -> {
        if (e.getValue() instanceof Number n) {
          into.put(e.getKey(), into.getDouble(e.getKey(), 0.0) + n.doubleValue());
        }
      });
    }

    private void addGauges(JsonObject gauges) {
      activeConnections += gauges.getDouble(MetricNames.ACTIVE_CONNECTIONS, 0.0).longValue();
      Double age = gauges.getDouble(MetricNames.BROKER_LAST_EVENT_AGE);
      if (age != null && gauges.getDouble(MetricNames.BROKER_STREAMS_OWNED, 0.0) > 0) {
        brokerEventAge = brokerEventAge == null ? age : Math.min(brokerEventAge, age);
      }
      marketOpen |= gauges.getDouble(MetricNames.BROKER_MARKET_OPEN, 0.0) >= 1;
      streamsOwned += gauges.getDouble(MetricNames.BROKER_STREAMS_OWNED, 0.0);
      Double depth = gauges.getDouble(MetricNames.ORDER_QUEUE_DEPTH);
      if (depth != null) {
        // The queue is one table: every orders node reports the same depth, give or take a moment.
        orderQueueDepth = orderQueueDepth == null ? depth : Math.max(orderQueueDepth, depth);
      }
    }

    private void addEdge(String nodeId, JsonObject edge) {
      edge.getJsonArray("connectionsByUser", new JsonArray()).forEach(o -> {
        JsonObject user = (JsonObject) o;
        users.merge(user.getString("userId"), user.copy(), (a, b) -> a
            .put("connections", a.getInteger("connections") + b.getInteger("connections"))
            .put("since", a.getString("since").compareTo(b.getString("since")) <= 0 ? a.getString("since") : b.getString("since")));
      });
      edge.getJsonArray("recentDisconnects", new JsonArray())
          .forEach(o -> disconnects.add(((JsonObject) o).copy().put("nodeId", nodeId)));
    }

    private static JsonObject node(JsonObject answer, JsonObject minute, JsonObject gauges, boolean stream) {
      JsonObject window = minute.getJsonObject("latency", new JsonObject());
      LatencyHistogram own = new LatencyHistogram().add(window.getJsonArray("buckets", new JsonArray()),
          window.getLong("count", 0L), window.getDouble("sum", 0.0));
      JsonObject totals = answer.getJsonObject("totals", new JsonObject());
      return new JsonObject()
          .put("nodeId", answer.getString("nodeId"))
          .put("clusterNodeId", answer.getString("clusterNodeId"))
          .put("roles", answer.getJsonArray("roles"))
          .put("status", "answered")
          .put("stream", stream)
          .put("startedAt", answer.getString("startedAt"))
          .put("activeConnections", gauges.getDouble(MetricNames.ACTIVE_CONNECTIONS, 0.0).longValue())
          .put("messagesDelivered", totals.getLong("framesSent", 0L))
          .put("eventsEmitted", totals.getLong("eventsEmitted", 0L))
          .put("disconnectsLastMinute", minute.getLong("disconnects", 0L))
          .put("p95LatencyMs", round(own.percentile(0.95), 1))
          .put("batchEfficiency", round(gauges.getDouble(MetricNames.BATCH_EFFICIENCY, 0.0), 4))
          .put("gauges", gauges);
    }

    double total(String name) {
      return totals.getDouble(name, 0.0);
    }

    double lastMinute(String name) {
      return lastMinute.getDouble(name, 0.0);
    }

    JsonArray connectionsByUser(Instant now) {
      JsonArray array = new JsonArray();
      users.values().forEach(user -> {
        Duration up = Duration.between(Instant.parse(user.getString("since")), now);
        array.add(new JsonObject().put("userId", user.getString("userId"))
            .put("connections", user.getInteger("connections"))
            .put("uptime", uptime(up.isNegative() ? Duration.ZERO : up))
            .put("uptimeSeconds", Math.max(0, up.toSeconds())));
      });
      return array;
    }

    JsonArray recentDisconnects() {
      JsonArray array = new JsonArray();
      disconnects.stream().sorted(Comparator.comparing((JsonObject d) -> d.getString("at")).reversed())
          .limit(RECENT_DISCONNECTS).forEach(array::add);
      return array;
    }

    JsonObject broker() {
      JsonObject broker = new JsonObject().put("marketOpen", marketOpen).put("streamsOwned", (long) streamsOwned);
      if (brokerEventAge != null) {
        broker.put("lastEventAgeSeconds", brokerEventAge);
      }
      return broker;
    }
  }
}
