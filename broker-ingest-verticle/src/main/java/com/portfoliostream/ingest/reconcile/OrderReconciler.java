package com.portfoliostream.ingest.reconcile;

import com.portfoliostream.broker.accounts.BrokerAccount;
import com.portfoliostream.broker.alpaca.AlpacaOrder;
import com.portfoliostream.broker.alpaca.TradingStreamMessage.TradeUpdate;
import com.portfoliostream.broker.rest.AlpacaRestClient;
import com.portfoliostream.broker.rest.OrderQuery;
import com.portfoliostream.events.model.OrderStatus;
import com.portfoliostream.ingest.fills.OrderProgress;
import com.portfoliostream.ingest.fills.OrderProgress.OrderState;
import com.portfoliostream.ingest.stream.Backfill;
import com.portfoliostream.common.InOrder;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the orders open here agree with the broker's copies: status, filled quantity and average
 * price. Where the broker counts fills we lack, the account's missed fills are fetched and applied
 * first, in broker order (with their trades and positions, exactly once by their execution ids):
 * applying one order's fills ahead of an earlier fill of another order moved positions through the
 * wrong path, so average entry prices and realized P&amp;L came out wrong. Then the broker's copy
 * goes through the same ledger as a streamed event, so a correction is published as an
 * {@code order_update} and the status only moves forward ({@link OrderProgress}): our own
 * {@code pending_cancel} is never taken back by a broker that has not heard of the cancel yet.
 */
final class OrderReconciler {

  private static final Logger LOG = LoggerFactory.getLogger(OrderReconciler.class);
  /** Open orders compared per round; more wait for the next. */
  static final int MAX_ORDERS = 500;
  /** Orders no longer open at the broker, fetched one by one per round; more wait for the next. */
  static final int MAX_LOOKUPS = 50;
  /** Fills of an order are looked for from this long before we recorded its submission (clocks differ). */
  private static final Duration FILL_MARGIN = Duration.ofMinutes(1);

  /** Orders the broker knows (it gave them an id) and that are not final here. */
  private static final String OPEN_HERE = "SELECT broker_order_id, status, filled_qty, filled_avg_price, "
      + "COALESCE(submitted_at, created_at) AS since FROM orders WHERE account_id = $1 AND broker_order_id IS NOT NULL "
      + "AND status NOT IN (" + finalStatuses() + ") "
      + "ORDER BY created_at LIMIT " + MAX_ORDERS;

  private final Pool pool;
  private final AlpacaRestClient rest;
  private final Backfill backfill;

  OrderReconciler(Pool pool, AlpacaRestClient rest, Backfill backfill) {
    this.pool = pool;
    this.rest = rest;
    this.backfill = backfill;
  }

  /** Completes with the number of orders corrected; {@code apply} is the account's ledger path. */
  Future<Integer> reconcile(BrokerAccount account, Function<TradeUpdate, Future<?>> apply) {
    return pool.preparedQuery(OPEN_HERE).execute(Tuple.of(account.id())).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(0);
      }
      return rest.orders(account.credentials(), OrderQuery.open())
          .compose(open -> wrongOrders(account, rows, open))
          .compose(wrong -> correct(account, wrong, apply));
    });
  }

  /** An order whose copy here is behind the broker's. */
  private record Wrong(OrderState ours, OrderState theirs, AlpacaOrder broker, Instant since) {}

  /** The orders open here that the broker's copies (open, else asked for by id) are ahead of. */
  private Future<List<Wrong>> wrongOrders(BrokerAccount account, RowSet<Row> rows, List<AlpacaOrder> open) {
    Map<String, AlpacaOrder> theirs = new HashMap<>();
    open.forEach(o -> theirs.put(o.id(), o));
    List<Wrong> wrong = new ArrayList<>();
    List<Row> checked = new ArrayList<>();
    int lookups = 0;
    for (Row mine : rows) {
      if (theirs.containsKey(mine.getString("broker_order_id")) || lookups++ < MAX_LOOKUPS) {
        checked.add(mine);
      }
    }
    return InOrder.each(checked, mine -> brokerCopy(account, mine, theirs.get(mine.getString("broker_order_id")))
        .map(found -> {
          found.flatMap(broker -> behind(mine, broker)).ifPresent(wrong::add);
          return null;
        })).map(wrong);
  }

  /** Our order, when the broker's copy is ahead of it (the status only moves forward, see {@link OrderProgress}). */
  private static Optional<Wrong> behind(Row mine, AlpacaOrder broker) {
    OrderState ours = new OrderState(OrderStatus.fromWire(mine.getString("status")).orElseThrow(),
        mine.getBigDecimal("filled_qty"), mine.getBigDecimal("filled_avg_price"));
    return state(broker).filter(theirs -> OrderProgress.next(ours, theirs, false).isPresent())
        .map(theirs -> new Wrong(ours, theirs, broker, mine.getOffsetDateTime("since").toInstant()));
  }

  /**
   * Where the broker counts fills we lack, every fill of the account missed since the earliest such
   * order's submission is applied first, in broker order; then each broker copy goes through the ledger.
   */
  private Future<Integer> correct(BrokerAccount account, List<Wrong> wrong, Function<TradeUpdate, Future<?>> apply) {
    Optional<Instant> missedSince = wrong.stream().filter(w -> w.theirs().filledQty().compareTo(w.ours().filledQty()) > 0)
        .map(Wrong::since).min(Instant::compareTo);
    Future<Integer> missedFills = missedSince.isPresent()
        ? backfill.missedFills(account, missedSince.get().minus(FILL_MARGIN), apply) : Future.succeededFuture(0);
    return missedFills.compose(n -> {
      return InOrder.each(wrong, order -> {
        LOG.warn("Reconcile of account {}: order {} is {} here but {} at the broker; taking the broker's", account.id(),
            order.broker().id(), describe(order.ours()), describe(order.theirs()));
        return apply.apply(asUpdate(order.broker()));
      }).map(wrong.size());
    });
  }

  /** The broker's copy: from the open orders, else asked for by id (it closed since); empty when the broker has none. */
  private Future<Optional<AlpacaOrder>> brokerCopy(BrokerAccount account, Row mine, AlpacaOrder known) {
    if (known != null) {
      return Future.succeededFuture(Optional.of(known));
    }
    return rest.order(account.credentials(), mine.getString("broker_order_id")).map(Optional::of)
        .recover(e -> {
          LOG.warn("Reconcile of account {}: order {} not read from the broker ({}); checked next round",
              account.id(), mine.getString("broker_order_id"), e.getMessage());
          return Future.succeededFuture(Optional.empty());
        });
  }

  private static Optional<OrderState> state(AlpacaOrder broker) {
    BigDecimal filled = broker.filledQty() != null ? broker.filledQty() : BigDecimal.ZERO;
    return OrderStatus.fromWire(broker.status()).map(status -> new OrderState(status, filled, broker.filledAvgPrice()));
  }

  /** The broker's copy as an event without an execution, as the backfill hands over order changes. */
  private static TradeUpdate asUpdate(AlpacaOrder broker) {
    Instant time = broker.updatedAt() != null ? broker.updatedAt() : broker.submittedAt();
    return new TradeUpdate(broker.status(), null, broker, null, null, null, time);
  }

  private static String finalStatuses() {
    return Arrays.stream(OrderStatus.values()).filter(OrderStatus::isTerminal).map(s -> "'" + s.wire() + "'")
        .collect(Collectors.joining(", "));
  }

  private static String describe(OrderState state) {
    return state.status().wire() + " " + state.filledQty().stripTrailingZeros().toPlainString() + " filled"
        + (state.filledAvgPrice() == null ? "" : " @ " + state.filledAvgPrice().stripTrailingZeros().toPlainString());
  }
}
