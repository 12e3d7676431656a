package com.portfoliostream.ingest.lease;

import com.portfoliostream.broker.accounts.BrokerAccount;
import com.portfoliostream.ingest.lease.StreamLeases.Snapshot;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spreads the broker accounts' trading streams over the live ingest nodes, one lease round at a
 * time: renews the leases this node holds; takes over lapsed ones (their holder died) at once; takes
 * free ones only up to its fair share of the accounts among the live nodes; and hands one back per
 * round while it holds more than that share. Starting and stopping the streams is {@link Streams}'s.
 */
public final class LeaseBalancer {

  /** The streams whose leases the balancer holds: it says which to start and stop, they do it. */
  public interface Streams {

    /** The accounts whose stream runs on this node (a live view, in a stable order). */
    Set<UUID> running();

    void start(BrokerAccount account);

    void stop(UUID accountId);
  }

  private static final Logger LOG = LoggerFactory.getLogger(LeaseBalancer.class);

  private final String nodeId;
  private final StreamLeases leases;
  private final Supplier<Future<List<BrokerAccount>>> accounts;
  private final Streams streams;
  private boolean roundRunning;

  public LeaseBalancer(String nodeId, StreamLeases leases, Supplier<Future<List<BrokerAccount>>> accounts,
      Streams streams) {
    this.nodeId = nodeId;
    this.leases = leases;
    this.accounts = accounts;
    this.streams = streams;
  }

  /** One round; a round still running when the next is due makes the next one a no-op. */
  public Future<Void> round() {
    if (roundRunning) {
      return Future.succeededFuture();
    }
    roundRunning = true;
    return accounts.get().compose(list -> leases.heartbeatAndRead().compose(snapshot -> balance(list, snapshot)))
        .onFailure(e -> LOG.warn("Lease round failed: {}", e.getMessage()))
        .eventually(() -> {
          roundRunning = false;
          return Future.succeededFuture();
        });
  }

  /** On a graceful stop: every stream stopped, its lease and this node's heartbeat given up at once. */
  public Future<Void> handBackAll() {
    List<Future<Void>> released = new ArrayList<>();
    for (UUID accountId : List.copyOf(streams.running())) {
      streams.stop(accountId);
      released.add(leases.release(leaseName(accountId)));
    }
    released.add(leases.leave());
    return Future.join(released).mapEmpty();
  }

  public static String leaseName(UUID accountId) {
    return "account:" + accountId;
  }

  private Future<Void> balance(List<BrokerAccount> list, Snapshot snapshot) {
    int fairShare = (list.size() + snapshot.liveNodes() - 1) / snapshot.liveNodes();
    int mine = streams.running().size();
    List<Future<Void>> renewals = new ArrayList<>();
    for (BrokerAccount account : list) {
      boolean held = streams.running().contains(account.id());
      if (!held && !worthTaking(snapshot, leaseName(account.id()), mine < fairShare)) {
        continue;
      }
      if (!held) {
        mine++;
      }
      renewals.add(leases.acquireOrRenew(leaseName(account.id())).map(won -> {
        follow(account, won);
        return null;
      }));
    }
    return Future.join(renewals).compose(v -> handBackExcess(fairShare));
  }

  /** A lapsed lease (its holder died) always; a free one only while this node is below its share. */
  private static boolean worthTaking(Snapshot snapshot, String lease, boolean belowShare) {
    boolean lapsed = !snapshot.free(lease) && !snapshot.liveHolders().containsKey(lease);
    return lapsed || snapshot.free(lease) && belowShare;
  }

  private void follow(BrokerAccount account, boolean held) {
    boolean running = streams.running().contains(account.id());
    if (held && !running) {
      LOG.info("Node {} now streams broker account {}", nodeId, account.id());
      streams.start(account);
    } else if (!held && running) {
      LOG.warn("Node {} lost the stream lease of account {}; stopping its stream", nodeId, account.id());
      streams.stop(account.id());
    }
  }

  private Future<Void> handBackExcess(int fairShare) {
    if (streams.running().size() <= fairShare) {
      return Future.succeededFuture();
    }
    UUID excess = streams.running().iterator().next();
    LOG.info("Node {} streams {} accounts, more than its share of {}; handing account {} back",
        nodeId, streams.running().size(), fairShare, excess);
    streams.stop(excess);
    return leases.release(leaseName(excess));
  }
}
