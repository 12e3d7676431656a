package com.portfoliostream.stream.ws;

import com.portfoliostream.events.protocol.CloseReason;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's part of the cluster-wide per-user socket limit: its {@link NodeLease} and the
 * {@link UserSlots} counted under it, shared by every socket-serving loop. A node presumed gone
 * (it stalled past its lease) drops its sockets with {@link CloseReason#NODE_REJOINING}.
 */
public final class SocketSlots {

  private static final Logger LOG = LoggerFactory.getLogger(SocketSlots.class);

  final UserSlots slots;
  private final NodeLease lease;

  /** Every this many lease renewals, slots of sockets this node no longer holds are removed. */
  static final int PRUNE_EVERY_RENEWALS = 30;

  private SocketSlots(Vertx vertx, Pool pool, String nodeId, int limit, int maxRunning, int maxQueued,
      ConnectionRegistry registry) {
    this.slots = new UserSlots(vertx, pool, nodeId, limit, maxRunning, maxQueued);
    this.lease = new NodeLease(vertx, pool, nodeId, new NodeLease.Lapse() {
      @Override
      public void presumedGone() {
        for (SocketConnection connection : registry.all()) {
          connection.context().runOnContext(v -> connection.close(CloseReason.NODE_REJOINING));
        }
      }

      @Override
      public Future<Void> retaken() {
        return slots.recount(registry.all());
      }

      @Override
      public Future<Void> renewed(long renewals) {
        return renewals % PRUNE_EVERY_RENEWALS == 0 ? slots.prune(registry.all()) : Future.succeededFuture();
      }
    });
  }

  /**
   * Takes the node's lease (forgetting leases of nodes long gone) and keeps it renewed; at most
   * {@code maxRunning} slot statements run at once, up to {@code maxQueued} wait.
   */
  public static Future<SocketSlots> start(Vertx vertx, Pool pool, String nodeId, int limit, int maxRunning,
      int maxQueued, ConnectionRegistry registry) {
    SocketSlots slots = new SocketSlots(vertx, pool, nodeId, limit, maxRunning, maxQueued, registry);
    return slots.slots.forgetLongGone()
        .recover(e -> {
          LOG.warn("Could not forget old socket leases: {}", e.getMessage());
          return Future.succeededFuture();
        })
        .compose(v -> slots.lease.start())
        .map(slots);
  }

  /** Gives the lease up: whatever slots this node still holds stop counting. */
  public Future<Void> stop() {
    return lease.stop();
  }
}
