package com.portfoliostream.ingest;

import com.portfoliostream.broker.BrokerClients;
import com.portfoliostream.broker.BrokerSettings;
import com.portfoliostream.broker.accounts.BrokerAccount;
import com.portfoliostream.broker.accounts.BrokerAccountStore;
import com.portfoliostream.broker.alpaca.TradingStreamMessage.TradeUpdate;
import com.portfoliostream.broker.rest.AlpacaRestClient;
import com.portfoliostream.common.NodeContext;
import com.portfoliostream.common.bus.UserEventBus.Meta;
import com.portfoliostream.events.protocol.BusAddresses;
import com.portfoliostream.ingest.accounts.AccountSnapshots;
import com.portfoliostream.ingest.fills.FillLedger;
import com.portfoliostream.ingest.fills.LedgerEntry;
import com.portfoliostream.ingest.lease.StreamLeases;
import com.portfoliostream.ingest.market.MarketDataVerticle;
import com.portfoliostream.ingest.publish.LedgerPublisher;
import com.portfoliostream.ingest.reconcile.Reconciler;
import com.portfoliostream.ingest.stream.Backfill;
import com.portfoliostream.ingest.stream.StreamState;
import com.portfoliostream.ingest.stream.TradingStreamSession;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.WebSocketClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code ingest} role: for every broker account, exactly one node of the cluster holds the
 * account's stream lease and runs its trading stream; the others stand by and take the lease over
 * when its holder stops renewing it. Fills go through the ledger and out to the owner's address;
 * balances follow each fill; positions and balances are reconciled with the broker periodically.
 */
public final class IngestVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(IngestVerticle.class);
  static final Duration LEASE_TTL = Duration.ofSeconds(6);
  static final Duration LEASE_ROUND = Duration.ofSeconds(1);
  private static final Duration ACCOUNT_REFRESH = Duration.ofSeconds(10);
  private static final Duration BALANCE_DEBOUNCE = Duration.ofMillis(100);

  private final NodeContext node;
  private final Clock clock;
  private final Map<UUID, TradingStreamSession> sessions = new HashMap<>();
  private final Map<UUID, StreamState> states = new java.util.concurrent.ConcurrentHashMap<>();
  private final Set<UUID> balancePending = new HashSet<>();
  private List<BrokerAccount> accounts = List.of();
  private long accountsLoadedAt;
  private BrokerSettings settings;
  private AlpacaRestClient rest;
  private WebSocketClient sockets;
  private StreamLeases leases;
  private FillLedger ledger;
  private LedgerPublisher publisher;
  private AccountSnapshots snapshots;
  private Backfill backfill;
  private Reconciler reconciler;
  private BrokerAccountStore store;
  private IngestMetrics metrics;
  private boolean roundRunning;

  public IngestVerticle(NodeContext node) {
    this(node, Clock.systemUTC());
  }

  public IngestVerticle(NodeContext node, Clock clock) {
    this.node = node;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    settings = BrokerSettings.from(node.config());
    rest = new AlpacaRestClient(vertx, settings.restUrl(), AlpacaRestClient.DEFAULT_TIMEOUT);
    sockets = BrokerClients.streams(vertx);
    leases = new StreamLeases(vertx, node.nodeId(), LEASE_TTL, clock);
    ledger = new FillLedger(node.pool());
    publisher = new LedgerPublisher(vertx, clock);
    snapshots = new AccountSnapshots(node.pool());
    backfill = new Backfill(node.pool(), rest);
    reconciler = new Reconciler(node.pool(), rest, snapshots, publisher, clock);
    store = new BrokerAccountStore(node.pool(), node.cipher());
    metrics = new IngestMetrics(node.metrics(), clock, sessions::size);
    vertx.setPeriodic(LEASE_ROUND.toMillis(), id -> leaseRound());
    vertx.setPeriodic(settings.reconcileInterval().toMillis(), id -> reconcileOwned());
    LOG.info("Ingest on node {}: broker REST {}, trading stream {}, market data {}", node.nodeId(),
        settings.restUrl(), settings.tradingStreamUrl(), settings.marketDataUrl());
    return leaseRound().compose(v -> vertx.deployVerticle(
        new MarketDataVerticle(node, clock, metrics::brokerEvent, LEASE_TTL, LEASE_ROUND)));
  }

  @Override
  public Future<?> stop() {
    List<Future<Void>> released = new ArrayList<>();
    sessions.forEach((id, session) -> {
      session.stop();
      released.add(leases.release(leaseName(id)));
    });
    sessions.clear();
    released.add(leases.leave());
    return Future.join(released).eventually(() -> sockets.close()).eventually(() -> {
      rest.close();
      return Future.succeededFuture();
    });
  }

  /**
   * Renews the leases this node holds; takes over lapsed ones (their holder died) at once; takes
   * free ones only up to its fair share of the accounts among the live ingest nodes; and hands one
   * back per round while it holds more than that share, so streams spread over the nodes.
   */
  private Future<Void> leaseRound() {
    if (roundRunning) {
      return Future.succeededFuture();
    }
    roundRunning = true;
    return knownAccounts().compose(list -> leases.heartbeatAndRead().compose(snapshot -> {
      int fairShare = (list.size() + snapshot.liveNodes() - 1) / snapshot.liveNodes();
      int[] mine = {sessions.size()};
      List<Future<Void>> rounds = new ArrayList<>();
      for (BrokerAccount account : list) {
        String name = leaseName(account.id());
        boolean held = sessions.containsKey(account.id());
        boolean wanted = held || !snapshot.free(name) && !snapshot.liveHolders().containsKey(name)
            || snapshot.free(name) && mine[0] < fairShare;
        if (!wanted) {
          continue;
        }
        if (!held) {
          mine[0]++;
        }
        rounds.add(leases.acquireOrRenew(name).map(won -> {
          own(account, won);
          return null;
        }));
      }
      return Future.join(rounds).compose(v -> handBackExcess(fairShare));
    })).onFailure(e -> LOG.warn("Lease round failed: {}", e.getMessage()))
        .eventually(() -> {
          roundRunning = false;
          return Future.succeededFuture();
        });
  }

  private Future<Void> handBackExcess(int fairShare) {
    if (sessions.size() <= fairShare) {
      return Future.succeededFuture();
    }
    UUID excess = sessions.keySet().iterator().next();
    LOG.info("Node {} streams {} accounts, more than its share of {}; handing account {} back",
        node.nodeId(), sessions.size(), fairShare, excess);
    sessions.remove(excess).stop();
    return leases.release(leaseName(excess));
  }

  private Future<List<BrokerAccount>> knownAccounts() {
    if (clock.millis() - accountsLoadedAt < ACCOUNT_REFRESH.toMillis()) {
      return Future.succeededFuture(accounts);
    }
    return store.all().onSuccess(list -> {
      accounts = list;
      accountsLoadedAt = clock.millis();
    });
  }

  private void own(BrokerAccount account, boolean held) {
    TradingStreamSession session = sessions.get(account.id());
    if (held && session == null) {
      LOG.info("Node {} now streams broker account {}", node.nodeId(), account.id());
      session = new TradingStreamSession(vertx, sockets, account, settings.tradingStreamUrl(),
          update -> apply(account, update), this::backfillThenReconcile, state -> streamState(account, state));
      sessions.put(account.id(), session);
      session.start();
    } else if (!held && session != null) {
      LOG.warn("Node {} lost the stream lease of account {}; stopping its stream", node.nodeId(), account.id());
      sessions.remove(account.id()).stop();
    }
  }

  private Future<Integer> backfillThenReconcile(BrokerAccount account) {
    return backfill.run(account, update -> apply(account, update))
        .compose(n -> reconciler.reconcile(account).map(corrected -> n).otherwise(e -> {
          LOG.warn("Reconcile of account {} after its backfill failed: {}", account.id(), e.getMessage());
          return n;
        }));
  }

  private Future<LedgerEntry> apply(BrokerAccount account, TradeUpdate update) {
    metrics.brokerEvent();
    return ledger.apply(account, update).onSuccess(entry -> {
      publisher.publish(entry);
      if (update.isExecution()) {
        metrics.fill(entry.duplicateExecution());
      }
      if (entry.trade().isPresent()) {
        checkPositionSize(account, entry);
        holdingsChanged(account);
        refreshBalancesSoon(account);
      }
    });
  }

  private void checkPositionSize(BrokerAccount account, LedgerEntry entry) {
    if (entry.brokerPositionQty() == null || entry.position().isEmpty()) {
      return;
    }
    var position = entry.position().get();
    var signed = position.side() == com.portfoliostream.events.model.PositionSide.SHORT
        ? position.quantity().negate() : position.quantity();
    if (signed.compareTo(entry.brokerPositionQty()) != 0) {
      LOG.warn("Account {}: {} is {} here after the fill, {} at the broker; the next reconcile corrects it",
          account.id(), position.symbol(), signed.toPlainString(), entry.brokerPositionQty().toPlainString());
    }
  }

  private void holdingsChanged(BrokerAccount account) {
    vertx.eventBus().publish(BusAddresses.HOLDINGS_CHANGED, account.id().toString());
  }

  /** One balance fetch per burst of fills: the broker's figures, not our estimate of them. */
  private void refreshBalancesSoon(BrokerAccount account) {
    if (!balancePending.add(account.id())) {
      return;
    }
    vertx.setTimer(BALANCE_DEBOUNCE.toMillis(), id -> rest.account(account.credentials())
        .compose(broker -> snapshots.record(account.id(), broker))
        .onSuccess(changed -> changed.ifPresent(a -> {
          publisher.account(account.userId(), a, Meta.fill(clock.instant()));
          holdingsChanged(account);
        }))
        .onFailure(e -> LOG.warn("Balances of account {} not refreshed: {}", account.id(), e.getMessage()))
        .onComplete(done -> balancePending.remove(account.id())));
  }

  private void reconcileOwned() {
    for (BrokerAccount account : accounts) {
      if (sessions.containsKey(account.id()) && sessions.get(account.id()).state() == StreamState.LISTENING) {
        sessions.get(account.id()).runExclusive(() -> reconciler.reconcile(account)
            .onFailure(e -> LOG.warn("Reconcile of account {} failed: {}", account.id(), e.getMessage()))
            .otherwiseEmpty());
      }
    }
  }

  private void streamState(BrokerAccount account, StreamState state) {
    LOG.debug("Trading stream of account {}: {}", account.id(), state);
    states.put(account.id(), state);
  }

  /** The state of each trading stream this node runs or ran (safe from any thread). */
  public Map<UUID, StreamState> streams() {
    return Map.copyOf(states);
  }

  static String leaseName(UUID accountId) {
    return "account:" + accountId;
  }
}
