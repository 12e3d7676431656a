package com.portfoliostream.ingest.lease;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who streams what, cluster-wide: one row per broker stream in PostgreSQL ({@code stream_leases}),
 * held by one node and renewed well before it runs out, every expiry judged by the database's
 * clock. Taking and renewing are one statement: a lease that is free, lapsed, or already this
 * node's becomes this node's; a change of holder (or a lapsed lease taken again) raises its fencing
 * token by one. The writes made under a lease are checked against it by {@link Fence}.
 */
public final class StreamLeases {

  /** $1 stream, $2 holder, $3 ttl ms. */
  private static final String ACQUIRE = "INSERT INTO stream_leases AS l (stream, holder, token, expires_at) "
      + "VALUES ($1, $2, 1, now() + $3::int * interval '1 millisecond') ON CONFLICT (stream) DO UPDATE SET "
      + "token = CASE WHEN l.holder = EXCLUDED.holder AND l.expires_at > now() THEN l.token ELSE l.token + 1 END, "
      + "acquired_at = CASE WHEN l.holder = EXCLUDED.holder AND l.expires_at > now() THEN l.acquired_at ELSE now() END, "
      + "holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at "
      + "WHERE l.holder IS NULL OR l.holder = EXCLUDED.holder OR l.expires_at <= now() RETURNING token";
  /** Free at once, the row (and its token) kept. */
  private static final String RELEASE = "UPDATE stream_leases SET holder = NULL, expires_at = now() "
      + "WHERE stream = $1 AND holder = $2 AND token = $3";
  /**
   * $1 node, $2 ttl ms. Answers how many other nodes are live (this statement does not see its own
   * heartbeat); expired rows of nodes long gone are pruned on the way.
   */
  private static final String HEARTBEAT = "WITH pruned AS (DELETE FROM ingest_nodes "
      + "WHERE expires_at < now() - interval '10 minutes' AND node_id <> $1), "
      + "beat AS (INSERT INTO ingest_nodes (node_id, expires_at) VALUES ($1, now() + $2::int * interval '1 millisecond') "
      + "ON CONFLICT (node_id) DO UPDATE SET expires_at = EXCLUDED.expires_at) "
      + "SELECT count(*) AS others FROM ingest_nodes WHERE expires_at > now() AND node_id <> $1";
  private static final String READ = "SELECT stream, holder, expires_at > now() AS live FROM stream_leases "
      + "WHERE holder IS NOT NULL";
  private static final String LEAVE = "DELETE FROM ingest_nodes WHERE node_id = $1";
  private static final String HOLDER = "SELECT holder FROM stream_leases WHERE stream = $1 AND expires_at > now()";

  private final Pool pool;
  private final String nodeId;
  private final Duration ttl;

  public StreamLeases(Pool pool, String nodeId, Duration ttl) {
    this.pool = pool;
    this.nodeId = nodeId;
    this.ttl = ttl;
  }

  public String nodeId() {
    return nodeId;
  }

  /** The lease when this node holds it afterwards (newly taken, or renewed); empty when another node does. */
  public Future<Optional<HeldLease>> acquireOrRenew(String stream) {
    long sent = System.nanoTime();
    return pool.preparedQuery(ACQUIRE).execute(Tuple.of(stream, nodeId, ttl.toMillis()))
        .map(rows -> rows.size() == 0 ? Optional.empty()
            : Optional.of(new HeldLease(new Fence(stream, nodeId, rows.iterator().next().getLong("token")), sent)));
  }

  /** Where every lease stands now: held by whom (live), lapsed (its holder stopped renewing), or free. */
  public record Snapshot(Map<String, String> liveHolders, Set<String> lapsed, int liveNodes) {

    public boolean free(String stream) {
      return !liveHolders.containsKey(stream) && !lapsed.contains(stream);
    }
  }

  /** Says this node is alive and streaming-capable, then reads every lease and counts the live nodes. */
  public Future<Snapshot> heartbeatAndRead() {
    return pool.preparedQuery(HEARTBEAT).execute(Tuple.of(nodeId, ttl.toMillis()))
        .map(rows -> rows.iterator().next().getLong("others"))
        .compose(others -> pool.preparedQuery(READ).execute().map(rows -> {
          Map<String, String> live = new HashMap<>();
          Set<String> lapsed = new HashSet<>();
          for (Row row : rows) {
            if (row.getBoolean("live")) {
              live.put(row.getString("stream"), row.getString("holder"));
            } else {
              lapsed.add(row.getString("stream"));
            }
          }
          return new Snapshot(live, lapsed, others.intValue() + 1);
        }));
  }

  /** Gives the lease up at once (graceful stop, handing back), so another node need not wait for it to expire. */
  public Future<Void> release(Fence fence) {
    return pool.preparedQuery(RELEASE).execute(Tuple.of(fence.stream(), fence.holder(), fence.token())).mapEmpty();
  }

  /** Leaves the pool of streaming nodes (graceful stop). */
  public Future<Void> leave() {
    return pool.preparedQuery(LEAVE).execute(Tuple.of(nodeId)).mapEmpty();
  }

  /** The node holding the lease, or null when no live lease exists. */
  public Future<String> holder(String stream) {
    return pool.preparedQuery(HOLDER).execute(Tuple.of(stream))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("holder"));
  }
}
