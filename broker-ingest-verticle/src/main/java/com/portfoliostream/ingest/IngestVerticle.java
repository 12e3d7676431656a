package com.portfoliostream.ingest;

import com.portfoliostream.broker.BrokerClients;
import com.portfoliostream.broker.BrokerSettings;
import com.portfoliostream.broker.accounts.BrokerAccountStore;
import com.portfoliostream.broker.rest.AlpacaRestClient;
import com.portfoliostream.common.NodeContext;
import com.portfoliostream.ingest.accounts.KnownAccounts;
import com.portfoliostream.ingest.fills.FillPipeline;
import com.portfoliostream.ingest.lease.HeldLease;
import com.portfoliostream.ingest.lease.LeaseBalancer;
import com.portfoliostream.ingest.lease.StreamLeases;
import com.portfoliostream.ingest.market.MarketDataVerticle;
import com.portfoliostream.ingest.stream.StreamState;
import com.portfoliostream.ingest.stream.TradingStreams;
import com.portfoliostream.common.control.ControlSignals;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.WebSocketClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code ingest} role: for every broker account, exactly one node of the cluster holds the
 * account's stream lease (a row in PostgreSQL with a fencing token, {@link StreamLeases}) and runs
 * its trading stream; the others stand by and take the lease over when its holder stops renewing
 * it ({@link LeaseBalancer}). Fills go through the ledger, behind the lease's fence, and out to the
 * owner's address ({@link FillPipeline}); balances, open orders and positions are reconciled with
 * the broker periodically. This verticle only wires them, and deploys the market-data verticle.
 */
public final class IngestVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(IngestVerticle.class);
  static final Duration LEASE_TTL = Duration.ofSeconds(6);
  static final Duration LEASE_ROUND = Duration.ofSeconds(1);
  /** A lease unrenewed this long stops its stream: a round before it can lapse at the database. */
  public static final Duration LEASE_TRUSTED = LEASE_TTL.minus(LEASE_ROUND);

  private final NodeContext node;
  private final Clock clock;
  private AlpacaRestClient rest;
  private WebSocketClient sockets;
  private IngestMetrics metrics;
  private KnownAccounts accounts;
  private TradingStreams streams;
  private LeaseBalancer balancer;
  private MarketDataVerticle marketData;
  private Runnable accountsSignal = () -> {};

  public IngestVerticle(NodeContext node) {
    this(node, Clock.systemUTC());
  }

  public IngestVerticle(NodeContext node, Clock clock) {
    this.node = node;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    BrokerSettings settings = BrokerSettings.from(node.config());
    rest = new AlpacaRestClient(vertx, settings.restUrl(), AlpacaRestClient.DEFAULT_TIMEOUT);
    sockets = BrokerClients.streams(vertx);
    metrics = new IngestMetrics(node.metrics(), clock, () -> streams.count());
    streams = new TradingStreams(vertx, sockets, settings.tradingStreamUrl(),
        new FillPipeline(vertx, node.pool(), rest, metrics, clock, fence -> streams.leaseLost(fence)),
        metrics::poisonTradingMessage);
    accounts = new KnownAccounts(new BrokerAccountStore(node.pool(), node.cipher()), clock);
    balancer = new LeaseBalancer(new StreamLeases(node.pool(), node.nodeId(), LEASE_TTL), LEASE_TRUSTED,
        accounts::current, streams);
    marketData = new MarketDataVerticle(node, clock, metrics::brokerEvent, LEASE_TTL, LEASE_ROUND);
    vertx.setPeriodic(LEASE_ROUND.toMillis(), id -> balancer.round());
    // Operators linked, rotated or unlinked an account: act on it now, not at the next refresh.
    accountsSignal = node.control().on(vertx, ControlSignals.Kind.ACCOUNTS, () -> {
      accounts.invalidate();
      balancer.round();
    });
    vertx.setPeriodic(HeldLease.CHECK_EVERY.toMillis(), id -> balancer.stopOverdue());
    vertx.setPeriodic(settings.reconcileInterval().toMillis(), id -> streams.reconcileListening(accounts.lastKnown()));
    LOG.info("Ingest on node {}: broker REST {}, trading stream {}, market data {}", node.nodeId(),
        settings.restUrl(), settings.tradingStreamUrl(), settings.marketDataUrl());
    return balancer.round().compose(v -> vertx.deployVerticle(marketData));
  }

  @Override
  public Future<?> stop() {
    accountsSignal.run();
    metrics.remove();
    return balancer.handBackAll().eventually(() -> sockets.close()).eventually(() -> {
      rest.close();
      return Future.succeededFuture();
    });
  }

  /** The state of each trading stream this node runs or ran (safe from any thread). */
  public Map<UUID, StreamState> streams() {
    return streams.states();
  }

  /** Whether this node holds the cluster's market-data connection now (safe from any thread). */
  public boolean holdsMarketData() {
    return marketData.connected();
  }
}
