package com.portfoliostream.ingest.market;

import com.portfoliostream.broker.BrokerClients;
import com.portfoliostream.broker.BrokerSettings;
import com.portfoliostream.broker.accounts.BrokerAccountStore;
import com.portfoliostream.broker.alpaca.MarketDataMessage;
import com.portfoliostream.broker.rest.AlpacaCredentials;
import com.portfoliostream.broker.rest.AlpacaRestClient;
import com.portfoliostream.common.NodeContext;
import com.portfoliostream.common.bus.UserEventBus;
import com.portfoliostream.common.metrics.MetricNames;
import com.portfoliostream.events.protocol.BusAddresses;
import com.portfoliostream.events.protocol.InfoCode;
import com.portfoliostream.events.protocol.ServerEvents;
import com.portfoliostream.ingest.IngestMetrics;
import com.portfoliostream.ingest.lease.Fence;
import com.portfoliostream.ingest.lease.Fence.LeaseLost;
import com.portfoliostream.ingest.lease.HeldLease;
import com.portfoliostream.ingest.lease.StreamLeases;
import com.portfoliostream.ingest.publish.LedgerPublisher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.WebSocketClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import com.portfoliostream.common.db.OutageLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's one market-data connection and the position sync fed by it, on whichever ingest
 * node holds the {@code market-data} lease (a fenced lease in PostgreSQL, like the accounts'). The
 * connection closes when the lease is lost, when a price write is refused by its fence, and when
 * the lease went unrenewed for a round less than its length (the database unreachable), so it is
 * closed before another node can take the lease. Also watches for silence: no trade for 30 s (by
 * default) while the market is open (per the broker's clock) tells every user DATA_STALE, and
 * DATA_RESUMED when trades come back.
 */
public final class MarketDataVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(MarketDataVerticle.class);
  public static final String LEASE = "market-data";
  private static final Duration CLOCK_EVERY = Duration.ofSeconds(60);
  private static final Duration HOUSEKEEPING_EVERY = Duration.ofSeconds(1);

  private final NodeContext node;
  private final Clock clock;
  private final Runnable brokerEvent;
  private final Duration leaseTtl;
  private final Duration leaseRound;
  private final OutageLog leaseRoundLog = new OutageLog(LOG, "The market-data lease round");
  private BrokerSettings settings;
  private StreamLeases leases;
  private AlpacaRestClient rest;
  private WebSocketClient sockets;
  private PositionSync sync;
  private MarketDataSession session;
  private MessageConsumer<String> changes;
  private Gauge marketOpenGauge;
  private AlpacaCredentials credentials;
  private HeldLease lease;
  private boolean roundRunning;
  private volatile boolean connected;
  private volatile boolean marketOpen;
  private long lastTickMillis;
  private boolean stale;

  public MarketDataVerticle(NodeContext node, Clock clock, Runnable brokerEvent, Duration leaseTtl, Duration leaseRound) {
    this.node = node;
    this.clock = clock;
    this.brokerEvent = brokerEvent;
    this.leaseTtl = leaseTtl;
    this.leaseRound = leaseRound;
  }

  /**
   * Ready once the first lease round is done: the lease asked for and, when this node got it, the
   * held positions loaded from the database and the holdings consumer registered. Any of these
   * failing fails the deployment; later rounds only log their failures and try again.
   */
  @Override
  public Future<?> start() {
    settings = BrokerSettings.from(node.config());
    leases = new StreamLeases(node.pool(), node.nodeId(), leaseTtl);
    rest = new AlpacaRestClient(vertx, settings.restUrl(), AlpacaRestClient.DEFAULT_TIMEOUT);
    sockets = BrokerClients.streams(vertx);
    sync = new PositionSync(node.pool(), new LedgerPublisher(vertx, clock), node.config().stream().significancePercent());
    marketOpenGauge = Gauge.builder(MetricNames.BROKER_MARKET_OPEN, this, v -> v.marketOpen ? 1 : 0)
        .description("1 while the broker's clock says the market is open").register(node.metrics());
    return leaseRound().onSuccess(v -> startTimers());
  }

  @Override
  public Future<?> stop() {
    node.metrics().remove(marketOpenGauge);
    disconnect();
    Future<Void> released = lease == null ? Future.succeededFuture() : leases.release(lease.fence()).recover(e -> {
      LOG.warn("Node {} could not give up the market-data lease ({}); it lapses by itself", node.nodeId(),
          e.getMessage());
      return Future.succeededFuture();
    });
    return released.eventually(() -> sockets.close()).eventually(() -> {
      rest.close();
      return Future.succeededFuture();
    });
  }

  private void startTimers() {
    vertx.setPeriodic(leaseRound.toMillis(), id -> {
      // A round skipped because the last one still runs says nothing of the database.
      if (!roundRunning) {
        leaseRound().onSuccess(v -> leaseRoundLog.succeeded()).onFailure(leaseRoundLog::failed);
      }
    });
    vertx.setPeriodic(HeldLease.CHECK_EVERY.toMillis(), id -> closeIfOverdue());
    vertx.setPeriodic(HOUSEKEEPING_EVERY.toMillis(), id -> housekeeping());
    vertx.setPeriodic(CLOCK_EVERY.toMillis(), id -> checkClock());
  }

  /** Whether this node holds the connection now (safe from any thread). */
  public boolean connected() {
    return connected;
  }

  /** One round; one still running when the next is due makes that one a no-op. */
  private Future<Void> leaseRound() {
    if (roundRunning) {
      return Future.succeededFuture();
    }
    roundRunning = true;
    return leases.acquireOrRenew(LEASE).compose(this::follow).eventually(() -> {
      roundRunning = false;
      return Future.succeededFuture();
    });
  }

  private Future<Void> follow(Optional<HeldLease> granted) {
    if (granted.isPresent() && granted.get().overdue(System.nanoTime(), trusted())) {
      return Future.succeededFuture(); // answered too late to trust: the age check decides
    }
    if (granted.isEmpty()) {
      if (session != null) {
        LOG.warn("Node {} lost the market-data lease; closing its connection", node.nodeId());
        disconnect();
      }
      lease = null;
      return Future.succeededFuture();
    }
    boolean sameGrant = granted.get().sameGrant(lease);
    lease = granted.get();
    if (session != null && !sameGrant) {
      LOG.warn("Node {} took the market-data lease again after it lapsed (token {}); reconnecting", node.nodeId(),
          lease.fence().token());
      disconnect();
    }
    return session == null ? begin() : Future.succeededFuture();
  }

  /** Apart from the rounds, which may be waiting for an unreachable database. */
  private void closeIfOverdue() {
    long now = System.nanoTime();
    if (session != null && lease != null && lease.overdue(now, trusted())) {
      LOG.warn("Node {} could not renew the market-data lease for {} ms; closing its connection", node.nodeId(),
          lease.millisSinceRenewal(now));
      disconnect();
      lease = null;
    }
  }

  /** How long after its last renewal the lease is trusted: a round less than its length. */
  private Duration trusted() {
    return leaseTtl.minus(leaseRound);
  }

  /** Takes the connection up: ready once the held positions are loaded and the holdings consumer is registered. */
  private Future<Void> begin() {
    return credentials().compose(found -> {
      if (found == null) {
        LOG.info("No broker account and no MARKET_DATA_KEY_ID yet: market data waits for one");
        return Future.succeededFuture();
      }
      credentials = found;
      return sync.load().compose(v -> {
        LOG.info("Node {} holds the market-data connection; following {}", node.nodeId(), sync.heldSymbols());
        Counter poison = IngestMetrics.poisonCounter(node.metrics(), MetricNames.STREAM_MARKET_DATA);
        session = new MarketDataSession(vertx, sockets, settings.marketDataUrl(), found, this::tick, poison::increment);
        connected = true;
        changes = vertx.eventBus().consumer(BusAddresses.HOLDINGS_CHANGED, m -> holdingsChanged(m.body()));
        lastTickMillis = clock.millis();
        session.start();
        session.follow(sync.heldSymbols());
        checkClock();
        return changes.completion();
      });
    });
  }

  private Future<AlpacaCredentials> credentials() {
    if (settings.marketDataCredentials().isPresent()) {
      return Future.succeededFuture(settings.marketDataCredentials().get());
    }
    return new BrokerAccountStore(node.pool(), node.cipher()).all()
        .map(accounts -> accounts.isEmpty() ? null : accounts.get(0).credentials());
  }

  private void disconnect() {
    connected = false;
    if (session != null) {
      session.stop();
      session = null;
    }
    if (changes != null) {
      changes.unregister();
      changes = null;
    }
  }

  private void holdingsChanged(String accountId) {
    UUID id;
    try {
      id = UUID.fromString(accountId);
    } catch (IllegalArgumentException e) {
      return;
    }
    sync.reload(id).onSuccess(v -> {
      if (session != null) {
        session.follow(sync.heldSymbols());
      }
    }).onFailure(e -> LOG.warn("Position sync could not reload account {}: {}", id, e.getMessage()));
  }

  private void tick(MarketDataMessage.TradeTick tick) {
    brokerEvent.run();
    lastTickMillis = clock.millis();
    if (stale) {
      stale = false;
      LOG.info("Market data flows again");
      notice(InfoCode.DATA_RESUMED, "Market data is live again");
    }
    sync.price(tick.symbol(), tick.price(), tick.time() != null ? tick.time() : clock.instant());
  }

  private void housekeeping() {
    if (session == null || lease == null) {
      return;
    }
    Fence fence = lease.fence();
    sync.savePrices(fence).onFailure(e -> {
      if (!fence.equals(LeaseLost.of(e))) {
        LOG.warn("Latest prices not saved: {}", e.getMessage());
      } else if (lease != null && fence.equals(lease.fence())) {
        LOG.warn("Node {} lost the market-data lease (a price write was refused); closing its connection",
            node.nodeId());
        disconnect();
        lease = null;
      }
    });
    Duration staleAfter = settings.staleAfter();
    boolean silent = clock.millis() - lastTickMillis > staleAfter.toMillis();
    if (marketOpen && silent && !stale && !sync.heldSymbols().isEmpty()) {
      stale = true;
      LOG.warn("No market data for {} s while the market is open", staleAfter.toSeconds());
      notice(InfoCode.DATA_STALE, "Prices may be delayed: no market data for " + staleAfter.toSeconds() + " seconds");
    }
  }

  private void notice(InfoCode code, String message) {
    for (UUID user : sync.users()) {
      UserEventBus.publish(vertx, ServerEvents.notice(user.toString(), code, message, Map.of(), clock.instant()),
          UserEventBus.Meta.of(clock.instant()));
    }
  }

  private void checkClock() {
    if (credentials == null) {
      return;
    }
    rest.clock(credentials).onSuccess(c -> marketOpen = c.isOpen())
        .onFailure(e -> LOG.warn("Broker clock unavailable: {}", e.getMessage()));
  }
}
