package com.portfoliostream.ingest.stream;

import com.portfoliostream.broker.accounts.BrokerAccount;
import com.portfoliostream.broker.alpaca.AlpacaOrder;
import com.portfoliostream.broker.alpaca.FillActivity;
import com.portfoliostream.broker.alpaca.TradingStreamMessage.TradeUpdate;
import com.portfoliostream.broker.rest.AlpacaRestClient;
import com.portfoliostream.broker.rest.OrderQuery;
import com.portfoliostream.common.InOrder;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * What a trading stream missed while it was down, fetched over REST: every fill since shortly
 * before the newest one we hold (or since the account was added), then every order changed since.
 * Each page is first checked against the database in one query, and only what is not applied here
 * (a fill whose execution id we lack, an order whose status or fills differ) goes through the same
 * ledger as the stream, in broker order: a backfill costs what was missed, not what the window
 * holds (re-applying each of ten minutes' fills, with a REST lookup of its order, took longer
 * than the 10 s between reconnects of a flapping stream, and backfills piled up in the account's
 * queue ahead of the live events).
 */
public final class Backfill {

  /** Fills this close to the newest one we hold are fetched again: clocks and in-flight fills. */
  private static final String SINCE =
      "SELECT COALESCE((SELECT max(executed_at) FROM trades WHERE account_id = $1) - interval '10 minutes', "
          + "(SELECT created_at FROM broker_accounts WHERE id = $1)) AS since";
  private static final String KNOWN_EXECUTIONS =
      "SELECT execution_id FROM trades WHERE account_id = $1 AND execution_id = ANY($2)";
  private static final String ORDER_STATES = "SELECT client_order_id, status, filled_qty, filled_avg_price "
      + "FROM orders WHERE account_id = $1 AND broker_order_id IS NOT NULL AND client_order_id = ANY($2)";
  private static final int MAX_PAGES = 1_000;

  private final Pool pool;
  private final AlpacaRestClient rest;

  public Backfill(Pool pool, AlpacaRestClient rest) {
    this.pool = pool;
    this.rest = rest;
  }

  /** Hands each missed event, in broker order, to {@code apply}; completes with how many were handed over. */
  public Future<Integer> run(BrokerAccount account, Function<TradeUpdate, Future<?>> apply) {
    return since(account).compose(since -> missedFills(account, since, apply)
        .compose(fills -> orders(account, since, apply).map(changed -> fills + changed)));
  }

  /**
   * Hands every fill since {@code since} not applied here to {@code apply}, in broker order, each
   * with its order as the broker has it now; completes with how many were handed over. Every
   * missed fill of the account, not only one order's: a fill applied ahead of an earlier one of
   * another order would move the position through the wrong path (average entry, realized P&amp;L).
   */
  public Future<Integer> missedFills(BrokerAccount account, Instant since, Function<TradeUpdate, Future<?>> apply) {
    return fills(new FillWalk(account, new HashMap<>(), apply), since, null, 0, 0);
  }

  /**
   * Where a backfill starts: shortly before the newest fill we hold, or when the account was added.
   * A fill the broker counts from then on and we do not may still be applied by a backfill.
   */
  public Future<Instant> since(BrokerAccount account) {
    return pool.preparedQuery(SINCE).execute(Tuple.of(account.id()))
        .map(rows -> rows.iterator().next().getOffsetDateTime("since"))
        .map(OffsetDateTime::toInstant);
  }

  /** Those of {@code fills} whose execution is not applied here, in their order. */
  public Future<List<FillActivity>> notApplied(BrokerAccount account, List<FillActivity> fills) {
    if (fills.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    String[] ids = fills.stream().map(FillActivity::executionId).distinct().toArray(String[]::new);
    return pool.preparedQuery(KNOWN_EXECUTIONS).execute(Tuple.tuple().addUUID(account.id()).addArrayOfString(ids))
        .map(rows -> {
          Set<String> known = new HashSet<>();
          rows.forEach(r -> known.add(r.getString(0)));
          return fills.stream().filter(f -> !known.contains(f.executionId())).toList();
        });
  }

  /** One walk through the broker's fills: the broker's orders met so far, where the missed fills go. */
  private record FillWalk(BrokerAccount account, Map<String, AlpacaOrder> orders,
      Function<TradeUpdate, Future<?>> apply) {}

  private Future<Integer> fills(FillWalk walk, Instant since, String pageToken, int page, int handed) {
    if (page >= MAX_PAGES) {
      return Future.succeededFuture(handed);
    }
    return rest.fills(walk.account().credentials(), since, pageToken).compose(fills -> notApplied(walk.account(), fills)
        .compose(missed -> {
          Future<Integer> chain = InOrder.each(missed, fill -> order(walk.account(), fill.orderId(), walk.orders())
              .compose(order -> walk.apply().apply(asUpdate(fill, order)))).map(v -> handed + missed.size());
          if (fills.size() < AlpacaRestClient.MAX_ACTIVITY_PAGE) {
            return chain;
          }
          String next = fills.get(fills.size() - 1).id();
          return chain.compose(n -> fills(walk, since, next, page + 1, n));
        }));
  }

  private Future<AlpacaOrder> order(BrokerAccount account, String brokerOrderId, Map<String, AlpacaOrder> orders) {
    AlpacaOrder known = orders.get(brokerOrderId);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return rest.order(account.credentials(), brokerOrderId).onSuccess(o -> orders.put(brokerOrderId, o));
  }

  private static TradeUpdate asUpdate(FillActivity fill, AlpacaOrder order) {
    String event = "partial_fill".equals(fill.type()) ? "partial_fill" : "fill";
    return new TradeUpdate(event, fill.executionId(), order, fill.price(), fill.qty(), null, fill.transactionTime());
  }

  /** Order changes that are not fills (accepted, canceled, expired, rejected, replaced), page by page. */
  private Future<Integer> orders(BrokerAccount account, Instant since, Function<TradeUpdate, Future<?>> apply) {
    return orderPages(account, since, apply, 0, 0);
  }

  private Future<Integer> orderPages(BrokerAccount account, Instant after, Function<TradeUpdate, Future<?>> apply,
      int page, int handed) {
    return rest.orders(account.credentials(), OrderQuery.allSince(after)).compose(list -> changed(account, list)
        .compose(changed -> {
          Future<Integer> chain = InOrder.each(changed, order -> {
            Instant time = order.updatedAt() != null ? order.updatedAt() : order.submittedAt();
            return apply.apply(new TradeUpdate(order.status(), null, order, null, null, null, time));
          }).map(v -> handed + changed.size());
          Instant last = list.isEmpty() ? null : list.get(list.size() - 1).submittedAt();
          if (list.size() < OrderQuery.MAX_LIMIT || last == null || page >= MAX_PAGES) {
            return chain;
          }
          return chain.compose(n -> orderPages(account, last, apply, page + 1, n));
        }));
  }

  /** Those of the broker's {@code orders} that differ here (status, filled quantity or price), or that we lack. */
  private Future<List<AlpacaOrder>> changed(BrokerAccount account, List<AlpacaOrder> orders) {
    if (orders.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    String[] ids = orders.stream().map(AlpacaOrder::clientOrderId).filter(Objects::nonNull).toArray(String[]::new);
    return pool.preparedQuery(ORDER_STATES).execute(Tuple.tuple().addUUID(account.id()).addArrayOfString(ids))
        .map(rows -> {
          Map<String, Row> ours = new HashMap<>();
          rows.forEach(r -> ours.put(r.getString("client_order_id"), r));
          return orders.stream().filter(o -> !sameHere(ours.get(o.clientOrderId()), o)).toList();
        });
  }

  private static boolean sameHere(Row mine, AlpacaOrder broker) {
    return mine != null && mine.getString("status").equals(broker.status())
        && same(mine.getBigDecimal("filled_qty"), broker.filledQty() == null ? BigDecimal.ZERO : broker.filledQty())
        && same(mine.getBigDecimal("filled_avg_price"), broker.filledAvgPrice());
  }

  private static boolean same(BigDecimal a, BigDecimal b) {
    return a == null || b == null ? a == b : a.compareTo(b) == 0;
  }
}
