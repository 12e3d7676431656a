package com.portfoliostream.ingest.stream;

import com.portfoliostream.broker.accounts.BrokerAccount;
import com.portfoliostream.broker.alpaca.AlpacaOrder;
import com.portfoliostream.broker.alpaca.FillActivity;
import com.portfoliostream.broker.alpaca.TradingStreamMessage.TradeUpdate;
import com.portfoliostream.broker.rest.AlpacaRestClient;
import com.portfoliostream.broker.rest.OrderQuery;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What a trading stream missed while it was down, fetched over REST: every fill since shortly
 * before the newest one we hold (or since the account was added), then every order changed since.
 * Each goes through the same ledger as the stream, so what was already applied changes nothing.
 */
public final class Backfill {

  /** Fills this close to the newest one we hold are fetched again: clocks and in-flight fills. */
  private static final String SINCE =
      "SELECT COALESCE((SELECT max(executed_at) FROM trades WHERE account_id = $1) - interval '10 minutes', "
          + "(SELECT created_at FROM broker_accounts WHERE id = $1)) AS since";
  private static final int MAX_PAGES = 1_000;

  private final Pool pool;
  private final AlpacaRestClient rest;

  public Backfill(Pool pool, AlpacaRestClient rest) {
    this.pool = pool;
    this.rest = rest;
  }

  /** Hands each missed event, in broker order, to {@code apply}; completes with how many were handed over. */
  public Future<Integer> run(BrokerAccount account, Function<TradeUpdate, Future<?>> apply) {
    return since(account).compose(since -> {
      FillWalk walk = new FillWalk(account, fill -> true, new HashMap<>(), apply);
      return fills(walk, since, null, 0, 0).compose(fills -> orders(account, since, apply).map(changed -> fills + changed));
    });
  }

  /**
   * Hands the fills of one order since {@code since}, in broker order, to {@code apply}, each with
   * {@code order} (the broker's copy, as it stands now); completes with how many were handed over.
   */
  public Future<Integer> fillsOf(BrokerAccount account, AlpacaOrder order, Instant since,
      Function<TradeUpdate, Future<?>> apply) {
    Map<String, AlpacaOrder> orders = new HashMap<>(Map.of(order.id(), order));
    return fills(new FillWalk(account, fill -> order.id().equals(fill.orderId()), orders, apply), since, null, 0, 0);
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

  /** One walk through the broker's fills: which to hand over, the broker's orders met so far, where to. */
  private record FillWalk(BrokerAccount account, Predicate<FillActivity> wanted, Map<String, AlpacaOrder> orders,
      Function<TradeUpdate, Future<?>> apply) {}

  private Future<Integer> fills(FillWalk walk, Instant since, String pageToken, int page, int handed) {
    if (page >= MAX_PAGES) {
      return Future.succeededFuture(handed);
    }
    return rest.fills(walk.account().credentials(), since, pageToken).compose(fills -> {
      Future<Integer> chain = Future.succeededFuture(handed);
      for (FillActivity fill : fills) {
        if (walk.wanted().test(fill)) {
          chain = chain.compose(n -> order(walk.account(), fill.orderId(), walk.orders())
              .compose(order -> walk.apply().apply(asUpdate(fill, order))).map(v -> n + 1));
        }
      }
      if (fills.size() < AlpacaRestClient.MAX_ACTIVITY_PAGE) {
        return chain;
      }
      String next = fills.get(fills.size() - 1).id();
      return chain.compose(n -> fills(walk, since, next, page + 1, n));
    });
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
    return rest.orders(account.credentials(), OrderQuery.allSince(after)).compose(list -> {
      Future<Integer> chain = Future.succeededFuture(handed);
      for (AlpacaOrder order : list) {
        Instant time = order.updatedAt() != null ? order.updatedAt() : order.submittedAt();
        TradeUpdate update = new TradeUpdate(order.status(), null, order, null, null, null, time);
        chain = chain.compose(n -> apply.apply(update).map(v -> n + 1));
      }
      Instant last = list.isEmpty() ? null : list.get(list.size() - 1).submittedAt();
      if (list.size() < OrderQuery.MAX_LIMIT || last == null || page >= MAX_PAGES) {
        return chain;
      }
      return chain.compose(n -> orderPages(account, last, apply, page + 1, n));
    });
  }
}
