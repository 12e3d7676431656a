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
  /** Keys of the nodes' own heartbeats, beside the leases, so each node knows how many share the work. */
  private static final String NODE_PREFIX = "node:";

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

  /** Where every lease stands now: held by whom (live), or lapsed (its holder stopped renewing). */
  public record Snapshot(java.util.Map<String, String> liveHolders, java.util.Set<String> lapsed, int liveNodes) {

    public boolean free(String stream) {
      return !liveHolders.containsKey(stream) && !lapsed.contains(stream);
    }
  }

  /** Says this node is alive and streaming-capable, and reads every lease and node in one go. */
  public Future<Snapshot> heartbeatAndRead() {
    String me = NODE_PREFIX + nodeId;
    return map().compose(map -> map.put(me, nodeId + SEPARATOR + (clock.millis() + ttl.toMillis()))
        .compose(v -> map.entries())
        .map(entries -> {
          java.util.Map<String, String> live = new java.util.HashMap<>();
          java.util.Set<String> lapsed = new java.util.HashSet<>();
          int nodes = 0;
          for (var entry : entries.entrySet()) {
            boolean alive = expiry(entry.getValue()) >= clock.millis();
            if (entry.getKey().startsWith(NODE_PREFIX)) {
              nodes += alive ? 1 : 0;
            } else if (alive) {
              live.put(entry.getKey(), owner(entry.getValue()));
            } else {
              lapsed.add(entry.getKey());
            }
          }
          return new Snapshot(live, lapsed, Math.max(1, nodes));
        }));
  }

  /** Gives the lease up at once (graceful stop), so a survivor need not wait for it to expire. */
  public Future<Void> release(String stream) {
    return releaseKey(stream);
  }

  /** Leaves the pool of streaming nodes (graceful stop). */
  public Future<Void> leave() {
    return releaseKey(NODE_PREFIX + nodeId);
  }

  private Future<Void> releaseKey(String stream) {
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
