package com.portfoliostream.stream.ws;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import java.time.Duration;
import java.util.UUID;

/**
 * Users who lost a socket in the last minute, anywhere in the cluster (a clustered map whose
 * entries expire on their own), so that a socket opened on any node after a drop counts as a
 * reconnect, as it does behind a load balancer.
 */
final class RecentDisconnects {

  static final Duration WINDOW = Duration.ofMinutes(1);
  private static final String MAP = "portfolio.ws-recent-disconnects";

  private final Vertx vertx;

  RecentDisconnects(Vertx vertx) {
    this.vertx = vertx;
  }

  Future<Void> remember(UUID userId) {
    return map().compose(map -> map.put(userId.toString(), Boolean.TRUE, WINDOW.toMillis()));
  }

  /** True when the user lost a socket within the window; the entry is consumed. */
  Future<Boolean> consume(UUID userId) {
    return map().compose(map -> map.remove(userId.toString())).map(previous -> previous != null);
  }

  private Future<AsyncMap<String, Boolean>> map() {
    return vertx.sharedData().getAsyncMap(MAP);
  }
}
