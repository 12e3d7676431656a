package com.portfoliostream.ingest.fills;

import com.portfoliostream.broker.accounts.BrokerAccount;
import com.portfoliostream.broker.alpaca.TradingStreamMessage.TradeUpdate;
import com.portfoliostream.broker.rest.AlpacaRestClient;
import com.portfoliostream.common.bus.UserEventBus.Meta;
import com.portfoliostream.events.model.PositionSide;
import com.portfoliostream.events.protocol.BusAddresses;
import com.portfoliostream.ingest.IngestMetrics;
import com.portfoliostream.ingest.accounts.AccountSnapshots;
import com.portfoliostream.ingest.lease.Fence;
import com.portfoliostream.ingest.lease.Fence.LeaseLost;
import com.portfoliostream.ingest.publish.LedgerPublisher;
import com.portfoliostream.ingest.reconcile.Reconciler;
import com.portfoliostream.ingest.stream.Backfill;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to a broker event of an account, streamed or backfilled: applied through the ledger
 * and published to the owner; after a fill, the holders told and the balances fetched again from
 * the broker. Also the backfill after every connect, and the periodic reconcile. Every write is made
 * under the fence of the account's stream lease; one it refuses is told to {@code leaseLost}, so
 * the stream stops.
 */
public final class FillPipeline {

  private static final Logger LOG = LoggerFactory.getLogger(FillPipeline.class);
  private static final Duration BALANCE_DEBOUNCE = Duration.ofMillis(100);

  private final Vertx vertx;
  private final Clock clock;
  private final AlpacaRestClient rest;
  private final IngestMetrics metrics;
  private final FillLedger ledger;
  private final LedgerPublisher publisher;
  private final AccountSnapshots snapshots;
  private final Backfill backfill;
  private final Reconciler reconciler;
  private final Consumer<Fence> leaseLost;
  private final Set<UUID> balancePending = new HashSet<>();

  public FillPipeline(Vertx vertx, Pool pool, AlpacaRestClient rest, IngestMetrics metrics, Clock clock,
      Consumer<Fence> leaseLost) {
    this.vertx = vertx;
    this.leaseLost = leaseLost;
    this.clock = clock;
    this.rest = rest;
    this.metrics = metrics;
    this.ledger = new FillLedger(pool);
    this.publisher = new LedgerPublisher(vertx, clock);
    this.snapshots = new AccountSnapshots(pool);
    this.backfill = new Backfill(pool, rest);
    this.reconciler = new Reconciler(pool, rest, snapshots, publisher, backfill, clock);
  }

  public Future<LedgerEntry> apply(Fence fence, BrokerAccount account, TradeUpdate update) {
    metrics.brokerEvent();
    return ledger.apply(fence, account, update).onSuccess(entry -> {
      publisher.publish(entry);
      if (update.isExecution()) {
        metrics.fill(entry.duplicateExecution());
      }
      if (entry.trade().isPresent()) {
        checkPositionSize(account, entry);
        holdingsChanged(account);
        refreshBalancesSoon(fence, account);
      }
    }).onFailure(this::refused);
  }

  /** What the stream missed while it was down, then a reconcile; answers how many updates were backfilled. */
  public Future<Integer> backfillThenReconcile(Fence fence, BrokerAccount account) {
    return backfill.run(account, update -> applyFetched(fence, account, update))
        .compose(n -> reconcileOnce(fence, account).map(corrected -> n).otherwise(e -> {
          LOG.warn("Reconcile of account {} after its backfill failed: {}", account.id(), e.getMessage());
          return n;
        }));
  }

  /** Balances, open orders and positions made the broker's again; a failure is logged (the next one retries). */
  public Future<?> reconcile(Fence fence, BrokerAccount account) {
    return reconcileOnce(fence, account)
        .onFailure(e -> LOG.warn("Reconcile of account {} failed: {}", account.id(), e.getMessage()))
        .otherwiseEmpty();
  }

  private Future<Reconciler.Corrections> reconcileOnce(Fence fence, BrokerAccount account) {
    return reconciler.reconcile(fence, account, update -> applyFetched(fence, account, update)).onFailure(this::refused);
  }

  /** An event fetched over REST: a fill it applies is one the stream had not delivered. */
  private Future<LedgerEntry> applyFetched(Fence fence, BrokerAccount account, TradeUpdate update) {
    return apply(fence, account, update).onSuccess(entry -> {
      if (entry.trade().isPresent()) {
        metrics.recoveredFill();
      }
    });
  }

  /** A write the fence refused stops the stream it was made for. */
  private void refused(Throwable failure) {
    Fence stale = LeaseLost.of(failure);
    if (stale != null) {
      leaseLost.accept(stale);
    }
  }

  private void checkPositionSize(BrokerAccount account, LedgerEntry entry) {
    if (entry.brokerPositionQty() == null || entry.position().isEmpty()) {
      return;
    }
    var position = entry.position().get();
    BigDecimal signed = position.side() == PositionSide.SHORT ? position.quantity().negate() : position.quantity();
    if (signed.compareTo(entry.brokerPositionQty()) != 0) {
      LOG.warn("Account {}: {} is {} here after the fill, {} at the broker; the next reconcile corrects it",
          account.id(), position.symbol(), signed.toPlainString(), entry.brokerPositionQty().toPlainString());
    }
  }

  private void holdingsChanged(BrokerAccount account) {
    vertx.eventBus().publish(BusAddresses.HOLDINGS_CHANGED, account.id().toString());
  }

  /** One balance fetch per burst of fills: the broker's figures, not our estimate of them. */
  private void refreshBalancesSoon(Fence fence, BrokerAccount account) {
    if (!balancePending.add(account.id())) {
      return;
    }
    vertx.setTimer(BALANCE_DEBOUNCE.toMillis(), id -> rest.account(account.credentials())
        .compose(broker -> snapshots.record(fence, account.id(), broker))
        .onSuccess(changed -> changed.ifPresent(a -> {
          publisher.account(account.userId(), a, Meta.fill(clock.instant()));
          holdingsChanged(account);
        }))
        .onFailure(e -> LOG.warn("Balances of account {} not refreshed: {}", account.id(), e.getMessage()))
        .onFailure(this::refused)
        .onComplete(done -> balancePending.remove(account.id())));
  }
}
