package com.portfoliostream.stream.ws;

import com.portfoliostream.common.stats.EdgeStats;
import com.portfoliostream.events.protocol.BusAddresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Answers this node's stats collector on {@link BusAddresses#EDGE_STATS_LOCAL} (a local address:
 * nothing leaves the node) with what the meters cannot say: sockets per user with the oldest
 * socket's age, and the latest disconnects. User ids and counts only, never portfolio data.
 */
public final class EdgeStatsResponder {

  private final ConnectionRegistry registry;
  private final boolean realtimeEnabled;
  private final int maxConnections;

  public EdgeStatsResponder(ConnectionRegistry registry, boolean realtimeEnabled, int maxConnections) {
    this.registry = registry;
    this.realtimeEnabled = realtimeEnabled;
    this.maxConnections = maxConnections;
  }

  /** Registers the local consumer; completes once it is in place. */
  public Future<Void> register(Vertx vertx) {
    MessageConsumer<JsonObject> consumer = vertx.eventBus().localConsumer(BusAddresses.EDGE_STATS_LOCAL,
        this::answer);
    return consumer.completion();
  }

  private void answer(Message<JsonObject> request) {
    request.reply(new EdgeStats(realtimeEnabled, maxConnections, connectionsByUser(), recentDisconnects()).toJson());
  }

  private List<EdgeStats.UserSockets> connectionsByUser() {
    Map<UUID, Instant> oldest = new TreeMap<>();
    registry.connections().forEach(c -> oldest.merge(c.userId(), c.openedAt(),
        (a, b) -> a.isBefore(b) ? a : b));
    List<EdgeStats.UserSockets> users = new ArrayList<>();
    registry.socketsPerUser().forEach((userId, count) ->
        users.add(new EdgeStats.UserSockets(userId.toString(), count, oldest.get(userId))));
    return users;
  }

  private List<EdgeStats.Disconnect> recentDisconnects() {
    return registry.recentDisconnects().stream()
        .map(d -> new EdgeStats.Disconnect(d.at(), d.userId().toString(), d.reason())).toList();
  }
}
