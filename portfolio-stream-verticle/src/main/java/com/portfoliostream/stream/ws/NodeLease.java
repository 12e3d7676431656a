package com.portfoliostream.stream.ws;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.concurrent.TimeUnit;
import com.portfoliostream.common.db.OutageLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This edge node's lease in PostgreSQL, under which its sockets' slots count
 * ({@link UserSlots}). Renewed every {@link #RENEW_MS}; it lapses, judged by the database's clock,
 * {@link #LEASE_MS} after the last renewal, and is suspect after {@link #SUSPECT_MS}.
 *
 * <p>When a renewal finds the lease lapsed, what happens depends on why. If this node did not even
 * try to renew for longer than the lease (its process was stopped, a long pause), it was presumed
 * gone: its users have been admitted elsewhere and its event bus registrations may be stale, so it
 * drops its sockets ({@code onPresumedGone}; clients reconnect) and starts a new lease. If it kept
 * trying and the database did not answer (an outage, a partition from the database), its sockets
 * stay: it takes the lease again and counts its open sockets again.
 */
final class NodeLease {

  static final long RENEW_MS = 1_000;
  static final long SUSPECT_MS = 2_000;
  static final long LEASE_MS = 5_000;
  /**
   * How long one renewal (or taking the lease again) may take before it is given up and the next
   * tick tries again, on another connection: a query on a connection whose packets are being
   * dropped (a partition from the database) would otherwise hold every later renewal back until
   * TCP gives up on it, long after the network has healed.
   */
  static final long ATTEMPT_MS = 2_000;
  /**
   * How long after a lapsed lease was taken again the node's older slots are in doubt (see
   * {@link UserSlots}): a socket whose client is gone is closed by its heartbeat timeout
   * (HEARTBEAT_TIMEOUT_MS, 30 s by default) at the latest.
   */
  static final long RETAKEN_IN_DOUBT_MS = 30_000;
  private static final Logger LOG = LoggerFactory.getLogger(NodeLease.class);
  /** Takes the lease; taking an existing one again (after it lapsed) marks when. */
  static final String TAKE = "INSERT INTO node_leases (node_id) VALUES ($1) "
      + "ON CONFLICT (node_id) DO UPDATE SET renewed_at = now(), retaken_at = now()";
  private static final String RENEW = "UPDATE node_leases SET renewed_at = now() "
      + "WHERE node_id = $1 AND renewed_at > now() - make_interval(secs => $2::float8 / 1000) RETURNING node_id";
  private static final String DROP = "DELETE FROM node_leases WHERE node_id = $1";

  /** What to do when the lease is found lapsed. */
  interface Lapse {
    /** This node stalled past its lease: drop every socket. */
    void presumedGone();

    /** The database was unreachable but this node kept trying: count its open sockets again. */
    Future<Void> retaken();

    /** The lease was renewed, the {@code renewals}-th time: housekeeping may follow. */
    default Future<Void> renewed(long renewals) {
      return Future.succeededFuture();
    }
  }

  private final Vertx vertx;
  private final Pool pool;
  private final String nodeId;
  private final Lapse lapse;
  private final OutageLog renewalLog;
  private long timer = -1;
  private long lastAttemptNanos;
  private long lastRenewedNanos;
  private boolean renewing;
  private boolean stallSinceRenewed;
  private long renewals;

  NodeLease(Vertx vertx, Pool pool, String nodeId, Lapse lapse) {
    this.vertx = vertx;
    this.pool = pool;
    this.nodeId = nodeId;
    this.lapse = lapse;
    this.renewalLog = new OutageLog(LOG, "Renewing the socket lease of node " + nodeId);
  }

  String nodeId() {
    return nodeId;
  }

  /** Takes the lease and renews it from now on (on the caller's event loop). */
  Future<Void> start() {
    return pool.preparedQuery(TAKE).execute(Tuple.of(nodeId)).map(rows -> {
      lastRenewedNanos = lastAttemptNanos = System.nanoTime();
      timer = vertx.setPeriodic(RENEW_MS, id -> renew());
      return null;
    });
  }

  /** Gives the lease up: this node's slots stop counting at once. */
  Future<Void> stop() {
    vertx.cancelTimer(timer);
    return pool.preparedQuery(DROP).execute(Tuple.of(nodeId)).<Void>mapEmpty()
        .recover(e -> {
          LOG.warn("Could not give up the socket lease of node {}: {}", nodeId, e.getMessage());
          return Future.succeededFuture();
        });
  }

  private void renew() {
    long now = System.nanoTime();
    if (now - lastAttemptNanos > LEASE_MS * 1_000_000L) {
      // The timer itself was held up past the lease: the process stopped or paused.
      stallSinceRenewed = true;
    }
    lastAttemptNanos = now;
    if (renewing) {
      return;
    }
    renewing = true;
    pool.preparedQuery(RENEW).execute(Tuple.of(nodeId, LEASE_MS)).timeout(ATTEMPT_MS, TimeUnit.MILLISECONDS)
        .onComplete(done -> {
          if (done.failed() || done.result().rowCount() == 1) {
            renewing = false;
          }
          if (done.failed()) {
            renewalLog.failed(done.cause());
            return;
          }
          renewalLog.succeeded();
          if (done.result().rowCount() == 1) {
            lastRenewedNanos = System.nanoTime();
            stallSinceRenewed = false;
            lapse.renewed(++renewals).onFailure(e -> LOG.warn("Socket slot housekeeping failed: {}", e.getMessage()));
            return;
          }
          lapsed();
        });
  }

  private void lapsed() {
    boolean stalled = stallSinceRenewed;
    stallSinceRenewed = false;
    LOG.warn("The socket lease of node {} lapsed ({} ms since the last renewal){}", nodeId,
        (System.nanoTime() - lastRenewedNanos) / 1_000_000,
        stalled ? ": this node stalled, so its sockets are dropped and clients reconnect" : "; taking it again");
    if (stalled) {
      lapse.presumedGone();
    }
    pool.preparedQuery(TAKE).execute(Tuple.of(nodeId)).timeout(ATTEMPT_MS, TimeUnit.MILLISECONDS)
        .compose(rows -> {
          lastRenewedNanos = System.nanoTime();
          return stalled ? Future.<Void>succeededFuture() : lapse.retaken();
        })
        .onFailure(e -> LOG.warn("Could not take the socket lease of node {} again: {}", nodeId, e.getMessage()))
        // No renewal meanwhile: it would find the lease still lapsed and take it a second time.
        .onComplete(done -> renewing = false);
  }
}
