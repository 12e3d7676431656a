package com.portfoliostream.ingest.lease;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import java.time.Clock;
import java.time.Duration;

/**
 * Who streams what, cluster-wide: a lease per broker stream in a Hazelcast map, held by one node
 * and renewed well before it runs out. Every change is a compare-and-set on the whole value
 * ({@code owner|expiry}), so two nodes can never both believe they hold a lease; a node that dies
 * stops renewing and a survivor takes the lease over once it has expired.
 */
public final class StreamLeases {

  public static final String MAP = "ingest.stream-leases";
  private static final char SEPARATOR = '|';

  private final Vertx vertx;
  private final String nodeId;
  private final Duration ttl;
  private final Clock clock;

  public StreamLeases(Vertx vertx, String nodeId, Duration ttl, Clock clock) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.ttl = ttl;
    this.clock = clock;
  }

  /** True when this node holds the lease afterwards (newly taken, or renewed). */
  public Future<Boolean> acquireOrRenew(String stream) {
    String mine = nodeId + SEPARATOR + (clock.millis() + ttl.toMillis());
    return map().compose(map -> map.putIfAbsent(stream, mine).compose(existing -> {
      if (existing == null) {
        return Future.succeededFuture(true);
      }
      if (owner(existing).equals(nodeId) || expiry(existing) < clock.millis()) {
        return map.replaceIfPresent(stream, existing, mine);
      }
      return Future.succeededFuture(false);
    }));
  }

  /** Gives the lease up at once (graceful stop), so a survivor need not wait for it to expire. */
  public Future<Void> release(String stream) {
    return map().compose(map -> map.get(stream).compose(existing -> existing != null && owner(existing).equals(nodeId)
        ? map.removeIfPresent(stream, existing).mapEmpty() : Future.succeededFuture()));
  }

  /** The node holding the lease, or null when no live lease exists. */
  public Future<String> holder(String stream) {
    return map().compose(map -> map.get(stream))
        .map(value -> value == null || expiry(value) < clock.millis() ? null : owner(value));
  }

  private Future<AsyncMap<String, String>> map() {
    return vertx.sharedData().getAsyncMap(MAP);
  }

  private static String owner(String value) {
    return value.substring(0, value.lastIndexOf(SEPARATOR));
  }

  private static long expiry(String value) {
    return Long.parseLong(value.substring(value.lastIndexOf(SEPARATOR) + 1));
  }
}
