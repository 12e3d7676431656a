package com.portfoliostream.ingest.lease;

import com.portfoliostream.broker.accounts.BrokerAccount;
import com.portfoliostream.ingest.lease.StreamLeases.Snapshot;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import com.portfoliostream.common.db.OutageLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spreads the broker accounts' trading streams over the live ingest nodes, one lease round at a
 * time: renews the leases this node holds; takes over lapsed ones (their holder died) at once; takes
 * free ones only up to its fair share of the accounts among the live nodes; and hands one back per
 * round while it holds more than that share. A stream whose lease could not be renewed for
 * {@code trustFor} (the database unreachable) is stopped before the lease can lapse at the database,
 * so no other node streams it while this one still does. Starting and stopping the streams is
 * {@link Streams}'s.
 */
public final class LeaseBalancer {

  /** The streams whose leases the balancer holds: it says which to start and stop, they do it. */
  public interface Streams {

    /** The accounts whose stream runs on this node (a live view, in a stable order). */
    Set<UUID> running();

    /** Starts the account's stream; every write it makes is fenced by {@code fence}. */
    void start(BrokerAccount account, Fence fence);

    void stop(UUID accountId);
  }

  private static final Logger LOG = LoggerFactory.getLogger(LeaseBalancer.class);

  private final String nodeId;
  private final StreamLeases leases;
  private final Duration trustFor;
  private final Supplier<Future<List<BrokerAccount>>> accounts;
  private final Streams streams;
  private final OutageLog roundLog;
  private final Map<UUID, HeldLease> held = new HashMap<>();
  /** The account each running stream was started with: a rotated secret restarts it. */
  private final Map<UUID, BrokerAccount> started = new HashMap<>();
  private boolean roundRunning;

  /** {@code trustFor}: how long after its last renewal a lease is still trusted (less than its length). */
  public LeaseBalancer(StreamLeases leases, Duration trustFor, Supplier<Future<List<BrokerAccount>>> accounts,
      Streams streams) {
    this.nodeId = leases.nodeId();
    this.leases = leases;
    this.trustFor = trustFor;
    this.accounts = accounts;
    this.streams = streams;
    this.roundLog = new OutageLog(LOG, "The stream lease round of node " + nodeId);
  }

  /** One round; a round still running when the next is due makes the next one a no-op. */
  public Future<Void> round() {
    if (roundRunning) {
      return Future.succeededFuture();
    }
    roundRunning = true;
    return accounts.get().compose(list -> leases.heartbeatAndRead().compose(snapshot -> balance(list, snapshot)))
        .onSuccess(v -> roundLog.succeeded())
        .onFailure(roundLog::failed)
        .eventually(() -> {
          roundRunning = false;
          return Future.succeededFuture();
        });
  }

  /**
   * On a graceful stop: every stream stopped, its lease and this node's heartbeat given up at once.
   * Never fails: what could not be given up (the database unreachable, the pool closed) lapses by itself.
   */
  public Future<Void> handBackAll() {
    List<Future<Void>> released = new ArrayList<>();
    for (UUID accountId : List.copyOf(streams.running())) {
      released.add(handBack(accountId));
    }
    released.add(leases.leave());
    return Future.join(released).<Void>mapEmpty().recover(e -> {
      LOG.warn("Node {} could not give up its stream leases ({}); they lapse by themselves", nodeId, e.getMessage());
      return Future.succeededFuture();
    });
  }

  public static String leaseName(UUID accountId) {
    return "account:" + accountId;
  }

  /**
   * Stops every stream whose lease went unrenewed for longer than it may be trusted. Runs every
   * {@link HeldLease#CHECK_EVERY}, apart from the rounds: a round waiting for an unreachable
   * database must not hold it up.
   */
  public void stopOverdue() {
    long now = System.nanoTime();
    for (UUID accountId : List.copyOf(streams.running())) {
      HeldLease lease = held.get(accountId);
      if (lease != null && lease.overdue(now, trustFor)) {
        LOG.warn("Node {} could not renew the stream lease of account {}; stopping its stream ({} ms since the "
            + "last renewal)", nodeId, accountId, lease.millisSinceRenewal(now));
        streams.stop(accountId);
        held.remove(accountId);
      }
    }
  }

  private Future<Void> balance(List<BrokerAccount> list, Snapshot snapshot) {
    held.keySet().retainAll(streams.running());
    started.keySet().retainAll(streams.running());
    List<Future<Void>> given = new ArrayList<>();
    Map<UUID, BrokerAccount> listed = new HashMap<>();
    list.forEach(account -> listed.put(account.id(), account));
    for (UUID accountId : List.copyOf(streams.running())) {
      BrokerAccount now = listed.get(accountId);
      if (now == null) {
        LOG.info("Node {} stops streaming account {}: it was unlinked", nodeId, accountId);
        given.add(handBack(accountId));
      } else if (started.containsKey(accountId) && !now.equals(started.get(accountId))) {
        // A rotated secret: the stream logs in again with the new one (the next round takes the lease back).
        LOG.info("Node {} restarts the stream of account {}: its credentials changed", nodeId, accountId);
        given.add(handBack(accountId));
      }
    }
    if (!given.isEmpty()) {
      return Future.join(given).mapEmpty();
    }
    int fairShare = (list.size() + snapshot.liveNodes() - 1) / snapshot.liveNodes();
    int mine = streams.running().size();
    List<Future<Void>> renewals = new ArrayList<>();
    for (BrokerAccount account : list) {
      boolean running = streams.running().contains(account.id());
      if (!running && !worthTaking(snapshot, leaseName(account.id()), mine < fairShare)) {
        continue;
      }
      if (!running) {
        mine++;
      }
      renewals.add(leases.acquireOrRenew(leaseName(account.id())).map(lease -> {
        follow(account, lease);
        return null;
      }));
    }
    return Future.join(renewals).compose(v -> handBackExcess(fairShare));
  }

  /**
   * A lapsed lease (its holder died) always, and one still this node's (its stream was stopped
   * while the lease lived on); a free one only while this node is below its share.
   */
  private boolean worthTaking(Snapshot snapshot, String lease, boolean belowShare) {
    String holder = snapshot.liveHolders().get(lease);
    return snapshot.lapsed().contains(lease) || nodeId.equals(holder) || snapshot.free(lease) && belowShare;
  }

  private void follow(BrokerAccount account, Optional<HeldLease> lease) {
    boolean running = streams.running().contains(account.id());
    HeldLease before = held.get(account.id());
    if (lease.isEmpty()) {
      if (running) {
        LOG.warn("Node {} lost the stream lease of account {}; stopping its stream", nodeId, account.id());
        streams.stop(account.id());
      }
      held.remove(account.id());
      return;
    }
    HeldLease now = lease.get();
    if (now.overdue(System.nanoTime(), trustFor)) {
      return; // the answer came too late to trust: the overdue check stops or keeps the stream stopped
    }
    if (running && !now.sameGrant(before)) {
      LOG.warn("Node {} took the lease of account {} again after it lapsed (token {}); restarting its stream",
          nodeId, account.id(), now.fence().token());
      streams.stop(account.id());
      running = false;
    }
    held.put(account.id(), now);
    if (!running) {
      LOG.info("Node {} now streams broker account {} (lease token {})", nodeId, account.id(), now.fence().token());
      streams.start(account, now.fence());
      started.put(account.id(), account);
    }
  }

  private Future<Void> handBackExcess(int fairShare) {
    if (streams.running().size() <= fairShare) {
      return Future.succeededFuture();
    }
    UUID excess = streams.running().iterator().next();
    LOG.info("Node {} streams {} accounts, more than its share of {}; handing account {} back",
        nodeId, streams.running().size(), fairShare, excess);
    return handBack(excess);
  }

  private Future<Void> handBack(UUID accountId) {
    streams.stop(accountId);
    HeldLease lease = held.remove(accountId);
    return lease == null ? Future.succeededFuture() : leases.release(lease.fence());
  }
}
