package com.portfoliostream.stream.ws;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.spi.cluster.ClusterManager;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * The per-user socket limit across the whole cluster. A clustered map holds, per user, each open
 * socket and the cluster node that holds it; changes happen under the user's cluster lock, so two
 * nodes cannot both admit the sixth socket. Sockets of a node that left the cluster (a crash) no
 * longer count: they are pruned at the next change.
 */
final class UserSlots {

  private static final String MAP = "portfolio.ws-user-sockets";
  private static final long LOCK_TIMEOUT_MS = 5_000;

  private final Vertx vertx;
  private final int limit;

  UserSlots(Vertx vertx, int limit) {
    this.vertx = vertx;
    this.limit = limit;
  }

  /** True when the socket was admitted; false when the user already holds {@code limit}. */
  Future<Boolean> acquire(UUID userId, String socketId) {
    return locked(userId, map -> map.get(key(userId)).compose(current -> {
      JsonObject sockets = prune(current);
      if (sockets.size() >= limit) {
        return Future.succeededFuture(false);
      }
      sockets.put(socketId, nodeId());
      return map.put(key(userId), sockets).map(true);
    }));
  }

  Future<Void> release(UUID userId, String socketId) {
    return locked(userId, map -> map.get(key(userId)).compose(current -> {
      JsonObject sockets = prune(current);
      sockets.remove(socketId);
      return sockets.isEmpty() ? map.remove(key(userId)).mapEmpty() : map.put(key(userId), sockets);
    }));
  }

  private <T> Future<T> locked(UUID userId, java.util.function.Function<AsyncMap<String, JsonObject>, Future<T>> work) {
    return vertx.sharedData().getLockWithTimeout("portfolio.ws-user." + userId, LOCK_TIMEOUT_MS)
        .compose(lock -> vertx.sharedData().<String, JsonObject>getAsyncMap(MAP)
            .compose(work)
            .andThen(done -> lock.release()));
  }

  private JsonObject prune(JsonObject current) {
    JsonObject sockets = current == null ? new JsonObject() : current.copy();
    ClusterManager cluster = clusterManager();
    if (cluster == null) {
      return sockets;
    }
    Set<String> live = new HashSet<>(cluster.getNodes());
    sockets.fieldNames().removeIf(socket -> !live.contains(sockets.getString(socket)));
    return sockets;
  }

  private String nodeId() {
    ClusterManager cluster = clusterManager();
    return cluster == null ? "local" : cluster.getNodeId();
  }

  private ClusterManager clusterManager() {
    return ((VertxInternal) vertx).clusterManager();
  }

  private static String key(UUID userId) {
    return userId.toString();
  }
}
