package com.portfoliostream.common.stats;

import com.portfoliostream.events.protocol.BusAddresses;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One node's answer to a stats request on {@link BusAddresses#NODE_STATS}: who it is, its counts
 * since it started and in the last minute, its disconnects by reason, the gauges of its roles,
 * and, on a stream node, its sockets ({@link EdgeStats}; null elsewhere). Counts and user ids
 * only. Built by every node, read by the admin role; {@link #toJson()} and {@link #fromJson}
 * are the one mapping, and reading keeps known fields only.
 */
public record NodeStats(String requestId, String nodeId, String clusterNodeId, List<String> roles,
    Instant startedAt, Instant at, NodeCounts totals, NodeCounts lastMinute,
    Map<String, Long> disconnectsByReason, Map<String, Double> gauges, EdgeStats edge) {

  private static final String REQUEST_ID = "requestId";
  private static final String REPLY_TO = "replyTo";
  private static final String NODE_ID = "nodeId";
  private static final String CLUSTER_NODE_ID = "clusterNodeId";
  private static final String ROLES = "roles";
  private static final String STARTED_AT = "startedAt";
  private static final String AT = "at";
  private static final String TOTALS = "totals";
  private static final String LAST_MINUTE = "lastMinute";
  private static final String DISCONNECTS_BY_REASON = "disconnectsByReason";
  private static final String GAUGES = "gauges";
  private static final String EDGE = "edge";

  /** The request the admin role publishes: answers go to {@code replyTo}, tagged with {@code requestId}. */
  public record Request(String requestId, String replyTo) {

    public JsonObject toJson() {
      return new JsonObject().put(REQUEST_ID, requestId).put(REPLY_TO, replyTo);
    }

    /** Null for a body that is not a request. */
    public static Request fromJson(JsonObject json) {
      if (json == null || !(json.getValue(REPLY_TO) instanceof String replyTo)) {
        return null;
      }
      return new Request(json.getValue(REQUEST_ID) instanceof String id ? id : null, replyTo);
    }
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put(REQUEST_ID, requestId)
        .put(NODE_ID, nodeId)
        .put(CLUSTER_NODE_ID, clusterNodeId)
        .put(ROLES, roles == null ? null : new JsonArray(List.copyOf(roles)))
        .put(STARTED_AT, text(startedAt))
        .put(AT, text(at))
        .put(TOTALS, totals.toJson())
        .put(LAST_MINUTE, lastMinute.toJson())
        .put(DISCONNECTS_BY_REASON, new JsonObject(new LinkedHashMap<>(disconnectsByReason)))
        .put(GAUGES, new JsonObject(new LinkedHashMap<>(gauges)))
        .put(EDGE, edge == null ? null : edge.toJson());
  }

  /** Missing parts read as empty (a node without that role), never as an error. */
  public static NodeStats fromJson(JsonObject json) {
    JsonArray roles = json.getJsonArray(ROLES);
    JsonObject edge = json.getJsonObject(EDGE);
    return new NodeStats(json.getString(REQUEST_ID), json.getString(NODE_ID), json.getString(CLUSTER_NODE_ID),
        roles == null ? null : roles.stream().map(String::valueOf).toList(),
        instant(json.getString(STARTED_AT)), instant(json.getString(AT)),
        NodeCounts.fromJson(json.getJsonObject(TOTALS)), NodeCounts.fromJson(json.getJsonObject(LAST_MINUTE)),
        numbers(json.getJsonObject(DISCONNECTS_BY_REASON), Number::longValue),
        numbers(json.getJsonObject(GAUGES), Number::doubleValue),
        edge == null ? null : EdgeStats.fromJson(edge));
  }

  private static <T> Map<String, T> numbers(JsonObject json, java.util.function.Function<Number, T> convert) {
    Map<String, T> values = new LinkedHashMap<>();
    if (json != null) {
      json.forEach(e -> {
        if (e.getValue() instanceof Number n) {
          values.put(e.getKey(), convert.apply(n));
        }
      });
    }
    return values;
  }

  static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  static Instant instant(String text) {
    return text == null ? null : Instant.parse(text);
  }
}
