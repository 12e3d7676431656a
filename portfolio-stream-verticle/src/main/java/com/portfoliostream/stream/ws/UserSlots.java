package com.portfoliostream.stream.ws;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-user socket limit across the whole cluster, kept in PostgreSQL ({@code socket_slots}):
 * each open socket is a row under the {@link NodeLease} of the node holding it, and counts only
 * while that lease is fresh. So a node that crashed, froze or was partitioned away stops costing
 * its users anything within {@link NodeLease#LEASE_MS}, and nobody depends on the cluster's
 * membership view, which lags exactly in those cases. A slot also counts only while its node has
 * a session in PostgreSQL ({@code pg_stat_activity}, by the application_name its pool carries: the
 * node id): the sessions of a node that died end with its process, so its users are admitted again
 * at once, not a lease later. A node that takes its lapsed lease again keeps its sockets, but the
 * balancer has most likely cut them meanwhile: for {@link NodeLease#RETAKEN_IN_DOUBT_MS} a user at
 * the limit through its older slots is told to try again, not refused. Admission takes a per-user advisory lock in
 * its transaction, so two nodes can never both admit the sixth socket. Safe from every event loop.
 */
final class UserSlots {

  /** How an admission went. */
  enum Admission {
    ADMITTED,
    /** The user holds the limit on nodes that answer. */
    FULL,
    /**
     * At the limit only with sockets held by a node that has stopped renewing its lease (it may be
     * gone), or that took its lapsed lease again moments ago (its clients were likely cut meanwhile).
     */
    HELD_BY_SILENT_NODE
  }

  /** The per-user admission lock, held until the admission's transaction ends. */
  static final String LOCK_USER = "SELECT pg_advisory_xact_lock(hashtextextended($1::text, 7302))";
  private static final String COUNT = "SELECT count(*) FILTER (WHERE n.renewed_at > now() - make_interval(secs => $2::float8 / 1000)) AS live, "
      + "count(*) FILTER (WHERE n.renewed_at > now() - make_interval(secs => $2::float8 / 1000) "
      + "AND n.renewed_at <= now() - make_interval(secs => $3::float8 / 1000)) AS suspect, "
      + "count(*) FILTER (WHERE n.renewed_at > now() - make_interval(secs => $2::float8 / 1000) "
      + "AND n.retaken_at > now() - make_interval(secs => $4::float8 / 1000) AND s.opened_at < n.retaken_at) AS doubtful "
      + "FROM socket_slots s JOIN node_leases n ON n.node_id = s.node_id WHERE s.user_id = $1 "
      + "AND EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.application_name = s.node_id)";
  private static final String INSERT = "INSERT INTO socket_slots (socket_id, user_id, node_id) VALUES ($1, $2, $3)";
  private static final String DELETE = "DELETE FROM socket_slots WHERE socket_id = ANY($1::text[])";
  private static final String PRUNE = "DELETE FROM socket_slots WHERE node_id = $1 AND NOT (socket_id = ANY($2::text[]))";
  /** Socket ids one release statement deletes at most. */
  static final int RELEASE_BATCH = 1_000;
  static final long RELEASE_DELAY_MS = 20;
  private static final long RELEASE_RETRY_MS = 1_000;
  private static final Logger LOG = LoggerFactory.getLogger(UserSlots.class);
  private static final String RECOUNT = "INSERT INTO socket_slots (socket_id, user_id, node_id) "
      + "SELECT s.socket_id, s.user_id, $3 FROM unnest($1::text[], $2::uuid[]) AS s (socket_id, user_id) "
      + "JOIN users u ON u.id = s.user_id ON CONFLICT (socket_id) DO NOTHING";
  private static final String FORGET_LONG_GONE = "DELETE FROM node_leases WHERE renewed_at < now() - interval '10 minutes'";

  private final Vertx vertx;
  private final Pool pool;
  private final String nodeId;
  private final int limit;
  private final BoundedCalls calls;
  /** Released sockets not yet deleted: one statement deletes a batch of them. */
  private final Queue<String> released = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean flushScheduled = new AtomicBoolean();

  /**
   * {@code maxRunning} admissions and releases at once (the rest queue, up to {@code maxQueued}):
   * a reconnect storm waits its turn instead of overflowing the database pool.
   */
  UserSlots(Vertx vertx, Pool pool, String nodeId, int limit, int maxRunning, int maxQueued) {
    this.vertx = vertx;
    this.pool = pool;
    this.nodeId = nodeId;
    this.limit = limit;
    this.calls = new BoundedCalls(maxRunning, maxQueued);
  }

  /** Admits the socket unless the user holds {@code limit} sockets under live leases. */
  Future<Admission> acquire(UUID userId, String socketId) {
    return calls.run(() -> pool.withTransaction(conn -> conn.preparedQuery(LOCK_USER).execute(Tuple.of(userId.toString()))
        .compose(locked -> conn.preparedQuery(COUNT).execute(countOf(userId)))
        .compose(rows -> {
          Row counts = rows.iterator().next();
          long live = counts.getLong("live");
          if (live < limit) {
            return conn.preparedQuery(INSERT).execute(Tuple.of(socketId, userId, nodeId)).map(done -> Admission.ADMITTED);
          }
          boolean inDoubt = counts.getLong("suspect") + counts.getLong("doubtful") > 0;
          return Future.succeededFuture(inDoubt ? Admission.HELD_BY_SILENT_NODE : Admission.FULL);
        })));
  }

  /**
   * Frees the socket's slot: deleted with the others released around the same time, in one
   * statement; a failed delete is tried again a second later, so no slot of a closed socket is
   * left counting (and {@link #prune} removes any that still are).
   */
  void release(String socketId) {
    released.add(socketId);
    if (flushScheduled.compareAndSet(false, true)) {
      vertx.setTimer(RELEASE_DELAY_MS, id -> flush());
    }
  }

  private void flush() {
    List<String> batch = new ArrayList<>();
    for (String id; batch.size() < RELEASE_BATCH && (id = released.poll()) != null; ) {
      batch.add(id);
    }
    if (batch.isEmpty()) {
      flushLater(RELEASE_DELAY_MS);
      return;
    }
    calls.run(() -> pool.preparedQuery(DELETE).execute(Tuple.of(batch.toArray(String[]::new)))).onComplete(done -> {
      if (done.failed()) {
        LOG.warn("Could not free {} socket slots, trying again in {} ms: {}", batch.size(), RELEASE_RETRY_MS,
            done.cause().getMessage());
        released.addAll(batch);
        flushLater(RELEASE_RETRY_MS);
      } else {
        flushLater(RELEASE_DELAY_MS);
      }
    });
  }

  /** Flushes again after {@code delayMs} while releases wait; else the next release schedules it. */
  private void flushLater(long delayMs) {
    if (released.isEmpty()) {
      flushScheduled.set(false);
      // A release that came in between saw the flag still set: take the flush back for it.
      if (released.isEmpty() || !flushScheduled.compareAndSet(false, true)) {
        return;
      }
    }
    vertx.setTimer(delayMs, id -> flush());
  }

  /** Removes this node's slots of sockets it no longer holds (a release that never reached the database). */
  Future<Void> prune(Collection<SocketConnection> open) {
    String[] sockets = open.stream().map(SocketConnection::id).toArray(String[]::new);
    return calls.run(() -> pool.preparedQuery(PRUNE).execute(Tuple.of(nodeId).addArrayOfString(sockets)).mapEmpty());
  }

  /** The user's sockets the limit counts now, across the cluster (lapsed leases' not counted). */
  Future<Integer> count(UUID userId) {
    return pool.preparedQuery(COUNT).execute(countOf(userId)).map(rows -> rows.iterator().next().getLong("live").intValue());
  }

  private static Tuple countOf(UUID userId) {
    return Tuple.of(userId, NodeLease.LEASE_MS, NodeLease.SUSPECT_MS, NodeLease.RETAKEN_IN_DOUBT_MS);
  }

  /** Counts these open sockets of this node again (after its lease was taken again). */
  Future<Void> recount(Collection<SocketConnection> open) {
    String[] sockets = open.stream().map(SocketConnection::id).toArray(String[]::new);
    UUID[] users = open.stream().map(SocketConnection::userId).toArray(UUID[]::new);
    return pool.preparedQuery(RECOUNT).execute(Tuple.of(sockets, users, nodeId)).mapEmpty();
  }

  /** Forgets the leases (and slots) of nodes gone for ten minutes: crashed nodes leave their rows behind. */
  Future<Void> forgetLongGone() {
    return pool.query(FORGET_LONG_GONE).execute().mapEmpty();
  }
}
