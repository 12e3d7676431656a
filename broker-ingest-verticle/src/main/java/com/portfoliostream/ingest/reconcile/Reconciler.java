package com.portfoliostream.ingest.reconcile;

import com.portfoliostream.broker.accounts.BrokerAccount;
import com.portfoliostream.broker.alpaca.AlpacaPosition;
import com.portfoliostream.broker.alpaca.TradingStreamMessage.TradeUpdate;
import com.portfoliostream.broker.rest.AlpacaRestClient;
import com.portfoliostream.common.bus.UserEventBus.Meta;
import com.portfoliostream.common.portfolio.PortfolioRows;
import com.portfoliostream.events.model.Position;
import com.portfoliostream.ingest.accounts.AccountSnapshots;
import com.portfoliostream.ingest.lease.Fence;
import com.portfoliostream.ingest.publish.LedgerPublisher;
import com.portfoliostream.ingest.stream.Backfill;
import com.portfoliostream.common.InOrder;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes an account's balances, open orders and positions agree with the broker's, which is the
 * truth: every disagreement is logged as a warning naming both sides, corrected, and published;
 * what agrees is left alone. Orders come before positions ({@link OrderReconciler}), so fills the
 * broker counts on an order and we missed are applied, with their trades, before positions are
 * compared. While a fill the broker already counts has not been applied here yet, the positions
 * are left for the next round: correcting them then would count that fill twice once the stream or
 * a backfill applies it. "Not applied yet" is judged over the whole window a backfill could still
 * apply (from shortly before our newest fill, or since the account was added when we hold none:
 * the first fill of an account was once corrected into the position and then applied again).
 * Every write runs behind the fence of the account's stream lease.
 */
public final class Reconciler {

  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
  /** Average entry prices closer than this agree (brokers round them differently). */
  private static final BigDecimal PRICE_TOLERANCE = new BigDecimal("0.0001");

  /** Pages of broker fills checked against ours per round; more, and the positions wait for a quieter round. */
  private static final int MAX_FILL_PAGES = 20;

  private static final String OURS = "SELECT symbol, qty, side, avg_entry_price FROM positions WHERE account_id = $1";
  private static final String CORRECT =
      "INSERT INTO positions (account_id, user_id, symbol, qty, side, avg_entry_price, current_price) "
          + "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (account_id, symbol) DO UPDATE SET "
          + "qty = EXCLUDED.qty, side = EXCLUDED.side, avg_entry_price = EXCLUDED.avg_entry_price, "
          + "current_price = COALESCE(EXCLUDED.current_price, positions.current_price), "
          + "updated_at = now(), version = positions.version + 1 RETURNING " + PortfolioRows.POSITION_COLUMNS;

  private final Pool pool;
  private final AlpacaRestClient rest;
  private final AccountSnapshots snapshots;
  private final LedgerPublisher publisher;
  private final Backfill backfill;
  private final OrderReconciler orders;
  private final Clock clock;

  public Reconciler(Pool pool, AlpacaRestClient rest, AccountSnapshots snapshots, LedgerPublisher publisher,
      Backfill backfill, Clock clock) {
    this.pool = pool;
    this.rest = rest;
    this.snapshots = snapshots;
    this.publisher = publisher;
    this.backfill = backfill;
    this.orders = new OrderReconciler(pool, rest, backfill);
    this.clock = clock;
  }

  /** What one reconciliation corrected. */
  public record Corrections(int orders, int positions) {}

  /**
   * Completes with what was corrected (balances are recorded whenever they moved). Run it where no
   * event of the account is being applied (the stream session's queue); {@code apply} is that
   * queue's ledger path, under {@code fence}. The broker's positions are read first, then any
   * fill the broker knows and we do not yet makes the round skip the positions.
   */
  public Future<Corrections> reconcile(Fence fence, BrokerAccount account, Function<TradeUpdate, Future<?>> apply) {
    return balances(fence, account).compose(v -> orders.reconcile(account, apply))
        .compose(orderFixes -> positionsUnlessFillsInFlight(fence, account)
            .map(positionFixes -> new Corrections(orderFixes, positionFixes)));
  }

  private Future<Integer> positionsUnlessFillsInFlight(Fence fence, BrokerAccount account) {
    return rest.positions(account.credentials()).compose(broker -> fillsInFlight(account).compose(inFlight -> {
      if (inFlight) {
        LOG.info("Reconcile of account {}: fills not yet applied here; positions checked next round", account.id());
        return Future.succeededFuture(0);
      }
      return positions(fence, account, broker);
    }));
  }

  private Future<Void> balances(Fence fence, BrokerAccount account) {
    return rest.account(account.credentials())
        .compose(broker -> snapshots.record(fence, account.id(), broker))
        .onSuccess(changed -> changed.ifPresent(a -> publisher.account(account.userId(), a, Meta.of(clock.instant()))))
        .mapEmpty();
  }

  private Future<Boolean> fillsInFlight(BrokerAccount account) {
    return backfill.since(account).compose(since -> unknownFills(account, since, null, 0));
  }

  /** Whether a page of broker fills from {@code since} on holds one not applied here (too many pages: assume so). */
  private Future<Boolean> unknownFills(BrokerAccount account, Instant since, String pageToken, int page) {
    return rest.fills(account.credentials(), since, pageToken).compose(fills -> backfill.notApplied(account, fills)
        .compose(missed -> {
          if (!missed.isEmpty() || fills.size() < AlpacaRestClient.MAX_ACTIVITY_PAGE) {
            return Future.succeededFuture(!missed.isEmpty());
          }
          return page + 1 >= MAX_FILL_PAGES ? Future.succeededFuture(true)
              : unknownFills(account, since, fills.get(fills.size() - 1).id(), page + 1);
        }));
  }

  private Future<Integer> positions(Fence fence, BrokerAccount account, List<AlpacaPosition> broker) {
    return pool.preparedQuery(OURS).execute(Tuple.of(account.id())).compose(rows -> {
      Map<String, Row> ours = new HashMap<>();
      rows.forEach(r -> ours.put(r.getString("symbol"), r));
      Map<String, AlpacaPosition> theirs = new HashMap<>();
      broker.forEach(p -> theirs.put(p.symbol(), p));
      Set<String> symbols = new HashSet<>(ours.keySet());
      symbols.addAll(theirs.keySet());
      Map<String, AlpacaPosition> wrong = new HashMap<>();
      for (String symbol : symbols) {
        if (!agree(ours.get(symbol), theirs.get(symbol))) {
          LOG.warn("Reconcile of account {}: {} is {} here but {} at the broker; taking the broker's",
              account.id(), symbol, describe(ours.get(symbol)), describe(theirs.get(symbol)));
          wrong.put(symbol, theirs.get(symbol));
        }
      }
      if (wrong.isEmpty()) {
        return Future.succeededFuture(0);
      }
      return fence.transaction(pool, conn -> correctAll(conn, account, wrong)).map(corrected -> {
        corrected.forEach(p -> publisher.position(account.userId(), p, Meta.of(clock.instant())));
        // Market data revalues what is held now: a newly linked account's positions, say.
        publisher.holdingsChanged(account.id());
        return corrected.size();
      });
    });
  }

  /** Every wrong position made the broker's, in one transaction. */
  private Future<List<Position>> correctAll(SqlConnection conn, BrokerAccount account, Map<String, AlpacaPosition> wrong) {
    List<Position> done = new ArrayList<>();
    return InOrder.each(wrong.entrySet(), entry -> correct(conn, account, entry.getKey(), entry.getValue())
        .onSuccess(done::add)).map(done);
  }

  private static Future<Position> correct(SqlConnection conn, BrokerAccount account, String symbol, AlpacaPosition truth) {
    BigDecimal qty = truth == null ? BigDecimal.ZERO : truth.absoluteQty();
    String side = truth == null ? "long" : truth.side();
    BigDecimal avg = truth == null ? BigDecimal.ZERO : truth.avgEntryPrice();
    BigDecimal price = truth == null ? null : truth.currentPrice();
    return conn.preparedQuery(CORRECT)
        .execute(Tuple.from(new Object[] {account.id(), account.userId(), symbol, qty, side, avg, price}))
        .map(rows -> PortfolioRows.position(rows.iterator().next()));
  }

  static boolean agree(Row mine, AlpacaPosition truth) {
    BigDecimal myQty = mine == null ? BigDecimal.ZERO : mine.getBigDecimal("qty");
    BigDecimal theirQty = truth == null ? BigDecimal.ZERO : truth.absoluteQty();
    if (myQty.signum() == 0 && theirQty.signum() == 0) {
      return true;
    }
    return myQty.compareTo(theirQty) == 0 && mine.getString("side").equals(truth.side())
        && mine.getBigDecimal("avg_entry_price").subtract(truth.avgEntryPrice()).abs().compareTo(PRICE_TOLERANCE) <= 0;
  }

  private static String describe(Row mine) {
    return mine == null || mine.getBigDecimal("qty").signum() == 0 ? "flat"
        : mine.getString("side") + " " + mine.getBigDecimal("qty").stripTrailingZeros().toPlainString() + " @ "
            + mine.getBigDecimal("avg_entry_price").stripTrailingZeros().toPlainString();
  }

  private static String describe(AlpacaPosition truth) {
    return truth == null || truth.absoluteQty().signum() == 0 ? "flat"
        : truth.side() + " " + truth.absoluteQty().toPlainString() + " @ " + truth.avgEntryPrice().toPlainString();
  }
}
