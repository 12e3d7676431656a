package com.portfoliostream.admin.stats;

import com.portfoliostream.common.metrics.MetricNames;
import com.portfoliostream.common.stats.EdgeStats;
import com.portfoliostream.common.stats.NodeCounts;
import com.portfoliostream.common.stats.NodeCounts.Count;
import com.portfoliostream.common.stats.NodeStats;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
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
    double disconnectRate = t.lastMinute(Count.DISCONNECTS);
    double errorRate = errorRate(t.lastMinute(Count.ERROR_DISCONNECTS), disconnectRate, t.activeConnections);
    double batchEfficiency = t.total(Count.EVENTS_EMITTED) == 0 ? 0 : 1 - t.total(Count.FRAMES_SENT) / t.total(Count.EVENTS_EMITTED);
    StatusRules.Verdict verdict = StatusRules.judge(new StatusRules.Figures(disconnectRate,
        t.latency.percentile(0.95), t.brokerEventAge, t.marketOpen, errorRate, t.streamNodes,
        collection.missing().size()));
    return new JsonObject()
        .put("status", verdict.level().wire())
        .put("statusReasons", new JsonArray(verdict.reasons()))
        .put("enabled", t.realtimeEnabled)
        .put("activeConnections", t.activeConnections)
        .put("totalMessagesDelivered", (long) t.total(Count.MESSAGES_DELIVERED))
        .put("totalEventsEmitted", (long) t.total(Count.EVENTS_EMITTED))
        .put("avgLatencyMs", round(t.latency.mean(), 1))
        .put("p50LatencyMs", round(t.latency.percentile(0.50), 1))
        .put("p95LatencyMs", round(t.latency.percentile(0.95), 1))
        .put("p99LatencyMs", round(t.latency.percentile(0.99), 1))
        .put("latencySamples", t.latency.count())
        .put("disconnectRate", disconnectRate)
        .put("reconnectSuccessRate", disconnectRate == 0 ? 1.0
            : round(Math.min(1.0, t.lastMinute(Count.RECONNECTS) / disconnectRate), 4))
        .put("connectionSuccessRate", connectionSuccessRate(t))
        .put("fallbackActivationRate", t.lastMinute(Count.CLIENT_FALLBACKS))
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

  /**
   * Connections the browser clients reported established in the last minute, over the attempts
   * they reported (connecting and reconnecting); 1 when none tried.
   */
  private static double connectionSuccessRate(Totals t) {
    double attempts = t.lastMinute(Count.CLIENT_ATTEMPTS);
    return attempts == 0 ? 1.0 : round(Math.min(1.0, t.lastMinute(Count.CLIENT_CONNECTED) / attempts), 4);
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
    private final Map<Count, Double> totals = new EnumMap<>(Count.class);
    private final Map<Count, Double> lastMinute = new EnumMap<>(Count.class);
    private final LatencyHistogram latency = new LatencyHistogram();
    private final JsonObject disconnectsByReason = new JsonObject();
    private final Map<String, EdgeStats.UserSockets> users = new TreeMap<>();
    private final List<JsonObject> disconnects = new ArrayList<>();
    private final JsonArray nodes = new JsonArray();
    private long activeConnections;
    private int streamNodes;
    private boolean realtimeEnabled;
    private boolean marketOpen;
    private Double brokerEventAge;
    private double streamsOwned;
    private Double orderQueueDepth;

    static Totals of(List<NodeStats> answers) {
      Totals t = new Totals();
      answers.stream().sorted(Comparator.comparing(a -> a.nodeId() == null ? "" : a.nodeId())).forEach(t::add);
      return t;
    }

    private void add(NodeStats answer) {
      addCounts(totals, answer.totals());
      addCounts(lastMinute, answer.lastMinute());
      latency.add(answer.lastMinute().latency());
      answer.disconnectsByReason().forEach((reason, count) ->
          disconnectsByReason.put(reason, disconnectsByReason.getLong(reason, 0L) + count));
      addGauges(answer.gauges());
      if (answer.edge() != null) {
        streamNodes++;
        realtimeEnabled |= answer.edge().realtimeEnabled();
        addEdge(answer.nodeId(), answer.edge());
      }
      nodes.add(node(answer));
    }

    private static void addCounts(Map<Count, Double> into, NodeCounts counts) {
      counts.counts().forEach((count, value) -> into.merge(count, value.doubleValue(), Double::sum));
    }

    private void addGauges(Map<String, Double> gauges) {
      activeConnections += gauges.getOrDefault(MetricNames.ACTIVE_CONNECTIONS, 0.0).longValue();
      Double age = gauges.get(MetricNames.BROKER_LAST_EVENT_AGE);
      if (age != null && gauges.getOrDefault(MetricNames.BROKER_STREAMS_OWNED, 0.0) > 0) {
        brokerEventAge = brokerEventAge == null ? age : Math.min(brokerEventAge, age);
      }
      marketOpen |= gauges.getOrDefault(MetricNames.BROKER_MARKET_OPEN, 0.0) >= 1;
      streamsOwned += gauges.getOrDefault(MetricNames.BROKER_STREAMS_OWNED, 0.0);
      Double depth = gauges.get(MetricNames.ORDER_QUEUE_DEPTH);
      if (depth != null) {
        // The queue is one table: every orders node reports the same depth, give or take a moment.
        orderQueueDepth = orderQueueDepth == null ? depth : Math.max(orderQueueDepth, depth);
      }
    }

    private void addEdge(String nodeId, EdgeStats edge) {
      edge.connectionsByUser().forEach(user -> users.merge(user.userId(), user, (a, b) -> new EdgeStats.UserSockets(
          a.userId(), a.connections() + b.connections(), earlier(a.since(), b.since()))));
      edge.recentDisconnects().forEach(d -> disconnects.add(d.toJson().put("nodeId", nodeId)));
    }

    private static JsonObject node(NodeStats answer) {
      Map<String, Double> gauges = answer.gauges();
      return new JsonObject()
          .put("nodeId", answer.nodeId())
          .put("clusterNodeId", answer.clusterNodeId())
          .put("roles", answer.roles() == null ? null : new JsonArray(List.copyOf(answer.roles())))
          .put("status", "answered")
          .put("stream", answer.edge() != null)
          .put("startedAt", answer.startedAt() == null ? null : answer.startedAt().toString())
          .put("activeConnections", gauges.getOrDefault(MetricNames.ACTIVE_CONNECTIONS, 0.0).longValue())
          .put("messagesDelivered", answer.totals().get(Count.MESSAGES_DELIVERED))
          .put("eventsEmitted", answer.totals().get(Count.EVENTS_EMITTED))
          .put("disconnectsLastMinute", answer.lastMinute().get(Count.DISCONNECTS))
          .put("p95LatencyMs", round(new LatencyHistogram().add(answer.lastMinute().latency()).percentile(0.95), 1))
          .put("batchEfficiency", round(gauges.getOrDefault(MetricNames.BATCH_EFFICIENCY, 0.0), 4))
          .put("gauges", new JsonObject(new LinkedHashMap<>(gauges)));
    }

    double total(Count count) {
      return totals.getOrDefault(count, 0.0);
    }

    double lastMinute(Count count) {
      return lastMinute.getOrDefault(count, 0.0);
    }

    JsonArray connectionsByUser(Instant now) {
      JsonArray array = new JsonArray();
      users.values().forEach(user -> {
        Duration up = Duration.between(user.since(), now);
        array.add(new JsonObject().put("userId", user.userId())
            .put("connections", user.connections())
            .put("uptime", uptime(up.isNegative() ? Duration.ZERO : up))
            .put("uptimeSeconds", Math.max(0, up.toSeconds())));
      });
      return array;
    }

    /** Compared as the message writes them, as this answer always has. */
    private static Instant earlier(Instant a, Instant b) {
      return a.toString().compareTo(b.toString()) <= 0 ? a : b;
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
