package com.portfoliostream.common.stats;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * What a stream node says of its sockets that the meters cannot: sockets per user with the oldest
 * one's opening, and the latest disconnects. Asked locally on {@code EDGE_STATS_LOCAL} and carried
 * in {@link NodeStats}; user ids and counts only, never portfolio data.
 */
public record EdgeStats(boolean realtimeEnabled, int maxConnections, List<UserSockets> connectionsByUser,
    List<Disconnect> recentDisconnects) {

  private static final String REALTIME_ENABLED = "realtimeEnabled";
  private static final String MAX_CONNECTIONS = "maxConnections";
  private static final String CONNECTIONS_BY_USER = "connectionsByUser";
  private static final String RECENT_DISCONNECTS = "recentDisconnects";
  private static final String USER_ID = "userId";
  private static final String CONNECTIONS = "connections";
  private static final String SINCE = "since";
  private static final String AT = "at";
  private static final String REASON = "reason";

  /** A user's open sockets on the node, and when the oldest of them opened. */
  public record UserSockets(String userId, int connections, Instant since) {

    JsonObject toJson() {
      return new JsonObject().put(USER_ID, userId).put(CONNECTIONS, connections).put(SINCE, NodeStats.text(since));
    }

    static UserSockets fromJson(JsonObject json) {
      return new UserSockets(json.getString(USER_ID), json.getInteger(CONNECTIONS, 0),
          NodeStats.instant(json.getString(SINCE)));
    }
  }

  /** A socket that ended: when, whose, and the reason as the disconnect counter tags it. */
  public record Disconnect(Instant at, String userId, String reason) {

    public JsonObject toJson() {
      return new JsonObject().put(AT, NodeStats.text(at)).put(USER_ID, userId).put(REASON, reason);
    }

    static Disconnect fromJson(JsonObject json) {
      return new Disconnect(NodeStats.instant(json.getString(AT)), json.getString(USER_ID), json.getString(REASON));
    }
  }

  public JsonObject toJson() {
    JsonArray users = new JsonArray();
    connectionsByUser.forEach(u -> users.add(u.toJson()));
    JsonArray recent = new JsonArray();
    recentDisconnects.forEach(d -> recent.add(d.toJson()));
    return new JsonObject()
        .put(REALTIME_ENABLED, realtimeEnabled)
        .put(MAX_CONNECTIONS, maxConnections)
        .put(CONNECTIONS_BY_USER, users)
        .put(RECENT_DISCONNECTS, recent);
  }

  public static EdgeStats fromJson(JsonObject json) {
    return new EdgeStats(json.getBoolean(REALTIME_ENABLED, false), json.getInteger(MAX_CONNECTIONS, 0),
        objects(json.getJsonArray(CONNECTIONS_BY_USER)).stream().map(UserSockets::fromJson).toList(),
        objects(json.getJsonArray(RECENT_DISCONNECTS)).stream().map(Disconnect::fromJson).toList());
  }

  private static List<JsonObject> objects(JsonArray array) {
    return array == null ? List.of()
        : array.stream().filter(JsonObject.class::isInstance).map(JsonObject.class::cast).toList();
  }
}
