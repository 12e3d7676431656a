package com.portfoliostream.stream.ws;

import com.portfoliostream.common.cluster.ClusterView;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The per-user socket limit across the whole cluster. A clustered map holds, per user, each open
 * socket and the cluster node that holds it. Every change is a compare-and-set on the user's
 * entry (retried when another node changed it first), so two nodes can never both admit the
 * sixth socket and no release is ever lost. Sockets of a node that left the cluster (a crash)
 * stop counting: they are pruned at the next change.
 */
final class UserSlots {

  private static final String MAP = "portfolio.ws-user-sockets";
  private static final int MAX_ATTEMPTS = 100;

  private final Vertx vertx;
  private final ClusterView cluster;
  private final int limit;

  UserSlots(Vertx vertx, ClusterView cluster, int limit) {
    this.vertx = vertx;
    this.cluster = cluster;
    this.limit = limit;
  }

  /** True when the socket was admitted; false when the user already holds {@code limit}. */
  Future<Boolean> acquire(UUID userId, String socketId) {
    return map().compose(map -> update(map, userId.toString(), sockets -> {
      if (sockets.size() >= limit) {
        return null;
      }
      return sockets.put(socketId, cluster.localNodeId());
    }, MAX_ATTEMPTS));
  }

  Future<Void> release(UUID userId, String socketId) {
    return map().compose(map -> update(map, userId.toString(), sockets -> {
      sockets.remove(socketId);
      return sockets;
    }, MAX_ATTEMPTS)).mapEmpty();
  }

  /** The user's sockets the limit counts now, across the cluster (departed nodes' pruned). */
  Future<Integer> count(UUID userId) {
    return map().compose(map -> map.get(userId.toString())).map(current -> prune(current).size());
  }

  /**
   * Applies {@code change} to the user's pruned entry and stores it only if nobody changed the
   * entry meanwhile. {@code change} returns null to refuse (nothing is stored, result false).
   */
  private Future<Boolean> update(AsyncMap<String, JsonObject> map, String key,
      Function<JsonObject, JsonObject> change, int attemptsLeft) {
    if (attemptsLeft == 0) {
      return Future.failedFuture("socket slots of a user kept changing under us");
    }
    return map.get(key).compose(current -> {
      JsonObject next = change.apply(prune(current));
      if (next == null) {
        return Future.succeededFuture(false);
      }
      return store(map, key, current, next).compose(stored -> stored
          ? Future.succeededFuture(true)
          : update(map, key, change, attemptsLeft - 1));
    });
  }

  private static Future<Boolean> store(AsyncMap<String, JsonObject> map, String key, JsonObject current,
      JsonObject next) {
    if (current == null) {
      return next.isEmpty() ? Future.succeededFuture(true) : map.putIfAbsent(key, next).map(v -> v == null);
    }
    if (next.isEmpty()) {
      return map.removeIfPresent(key, current);
    }
    return map.replaceIfPresent(key, current, next);
  }

  private JsonObject prune(JsonObject current) {
    JsonObject sockets = current == null ? new JsonObject() : current.copy();
    Set<String> live = new HashSet<>(cluster.liveNodes());
    sockets.fieldNames().removeIf(socket -> !live.contains(sockets.getString(socket)));
    return sockets;
  }

  private Future<AsyncMap<String, JsonObject>> map() {
    return vertx.sharedData().getAsyncMap(MAP);
  }
}
