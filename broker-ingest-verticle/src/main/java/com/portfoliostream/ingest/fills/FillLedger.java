package com.portfoliostream.ingest.fills;

import com.portfoliostream.broker.accounts.BrokerAccount;
import com.portfoliostream.broker.alpaca.AlpacaOrder;
import com.portfoliostream.broker.alpaca.TradingStreamMessage.TradeUpdate;
import com.portfoliostream.common.portfolio.PortfolioRows;
import com.portfoliostream.events.model.OrderSide;
import com.portfoliostream.events.model.OrderStatus;
import com.portfoliostream.events.model.Position;
import com.portfoliostream.events.model.PositionSide;
import com.portfoliostream.events.model.Trade;
import com.portfoliostream.ingest.fills.OrderProgress.OrderState;
import com.portfoliostream.ingest.fills.PositionMath.Holding;
import com.portfoliostream.ingest.lease.Fence;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one broker order event in one transaction: the order's status and fill fields, and for an
 * execution the trade row, the position's size, side and average entry price, and the realized P&amp;L
 * of what it closed. The execution id makes a redelivered fill a no-op, whichever way it comes back
 * (the stream after a reconnect, or the REST backfill). The transaction runs behind the fence of
 * the account's stream lease: a stale holder's event is refused whole ({@link Fence.LeaseLost}).
 */
public final class FillLedger {

  private static final Logger LOG = LoggerFactory.getLogger(FillLedger.class);

  private static final String DEFAULT_REJECTION = "Rejected by the broker";

  private final Pool pool;

  public FillLedger(Pool pool) {
    this.pool = pool;
  }

  public Future<LedgerEntry> apply(Fence fence, BrokerAccount account, TradeUpdate update) {
    Instant time = update.timestamp() != null ? update.timestamp() : Instant.now();
    return fence.transaction(pool, conn -> lockOrder(conn, account, update.order(), time).compose(found -> {
      if (found.isEmpty()) {
        LOG.error("Account {}: broker event for client order id {} which belongs to another account; dropped",
            account.id(), update.order().clientOrderId());
        return Future.succeededFuture(new LedgerEntry(account.userId(), Optional.empty(), Optional.empty(),
            Optional.empty(), false, null, time));
      }
      Row order = found.get();
      return execution(conn, account, order, update, time)
          .compose(execution -> updateOrder(conn, order, update)
              .map(updated -> new LedgerEntry(account.userId(), updated, execution.trade(),
                  execution.position(), execution.duplicate(), update.positionQty(), time)));
    }));
  }

  /**
   * The order's row, locked; an order we never placed is created from the broker's copy. Empty when
   * the client order id is another account's: a poison event, never applied to either account.
   */
  private Future<Optional<Row>> lockOrder(SqlConnection conn, BrokerAccount account, AlpacaOrder order, Instant time) {
    return conn.preparedQuery(LedgerQueries.LOCK_ORDER)
        .execute(Tuple.of(account.id(), order.clientOrderId(), order.id()))
        .compose(rows -> rows.size() > 0 ? Future.succeededFuture(Optional.of(rows.iterator().next()))
            : conn.preparedQuery(LedgerQueries.INSERT_FOREIGN_ORDER).execute(foreignOrder(account, order, time))
                .map(inserted -> inserted.size() > 0 ? Optional.of(inserted.iterator().next()) : Optional.empty()));
  }

  /** A notional order has no quantity until it fills: its filled quantity stands in for it. */
  private static Tuple foreignOrder(BrokerAccount account, AlpacaOrder order, Instant time) {
    BigDecimal qty = order.qty() != null ? order.qty() : order.filledQty();
    return Tuple.from(new Object[] {account.id(), account.userId(), order.clientOrderId(), order.id(),
        order.symbol(), order.side(), order.type(), order.timeInForce() == null ? "day" : order.timeInForce(),
        qty, order.limitPrice(), order.stopPrice(), utc(order.submittedAt() != null ? order.submittedAt() : time)});
  }

  private record Execution(Optional<Trade> trade, Optional<Position> position, boolean duplicate) {
    static final Execution NONE = new Execution(Optional.empty(), Optional.empty(), false);
    static final Execution DUPLICATE = new Execution(Optional.empty(), Optional.empty(), true);
  }

  private Future<Execution> execution(SqlConnection conn, BrokerAccount account, Row order, TradeUpdate update,
      Instant time) {
    if (!update.isExecution() || update.executionId() == null || update.qty() == null || update.price() == null) {
      return Future.succeededFuture(Execution.NONE);
    }
    AlpacaOrder broker = update.order();
    String strategy = order.getString("strategy_id");
    Tuple trade = Tuple.from(new Object[] {account.id(), account.userId(), order.getUUID("id"), update.executionId(),
        broker.symbol(), broker.side(), update.qty(), update.price(), strategy, utc(time)});
    return conn.preparedQuery(LedgerQueries.INSERT_TRADE).execute(trade).compose(inserted -> {
      if (inserted.size() == 0) {
        return Future.succeededFuture(Execution.DUPLICATE);
      }
      UUID tradeId = inserted.iterator().next().getUUID("id");
      return movePosition(conn, account, broker, update, strategy, time).compose(moved ->
          conn.preparedQuery(LedgerQueries.SET_TRADE_PNL).execute(Tuple.of(tradeId, moved.realizedPnl()))
              .map(rows -> new Execution(Optional.of(PortfolioRows.trade(rows.iterator().next())),
                  Optional.of(moved.position()), false)));
    });
  }

  private record Moved(Position position, BigDecimal realizedPnl) {}

  private Future<Moved> movePosition(SqlConnection conn, BrokerAccount account, AlpacaOrder broker, TradeUpdate update,
      String strategy, Instant time) {
    Tuple key = Tuple.of(account.id(), broker.symbol());
    return conn.preparedQuery(LedgerQueries.ENSURE_POSITION).execute(Tuple.of(account.id(), account.userId(), broker.symbol()))
        .compose(v -> conn.preparedQuery(LedgerQueries.LOCK_POSITION).execute(key))
        .compose(rows -> {
          Row row = rows.iterator().next();
          Holding before = new Holding(row.getBigDecimal("qty"),
              PositionSide.valueOf(row.getString("side").toUpperCase(Locale.ROOT)), row.getBigDecimal("avg_entry_price"));
          OrderSide side = OrderSide.valueOf(broker.side().toUpperCase(Locale.ROOT));
          PositionMath.Result result = PositionMath.apply(before, side, update.qty(), update.price());
          Holding after = result.holding();
          Tuple change = Tuple.from(new Object[] {account.id(), broker.symbol(), after.qty(),
              after.side().name().toLowerCase(Locale.ROOT), after.avgEntryPrice(), result.realizedPnl(), update.price(),
              strategy, utc(time)});
          return conn.preparedQuery(LedgerQueries.UPDATE_POSITION).execute(change)
              .map(updated -> new Moved(PortfolioRows.position(updated.iterator().next()), result.realizedPnl()));
        });
  }

  private Future<Optional<com.portfoliostream.events.model.Order>> updateOrder(SqlConnection conn, Row current,
      TradeUpdate update) {
    AlpacaOrder broker = update.order();
    Optional<OrderStatus> reported = OrderStatus.fromWire(broker.status());
    if (reported.isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    OrderState now = new OrderState(OrderStatus.fromWire(current.getString("status")).orElseThrow(),
        current.getBigDecimal("filled_qty"), current.getBigDecimal("filled_avg_price"));
    BigDecimal filled = broker.filledQty() != null ? broker.filledQty() : now.filledQty();
    Optional<OrderState> next = OrderProgress.next(now, new OrderState(reported.get(), filled, broker.filledAvgPrice()),
        update.isRefusal());
    if (next.isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    Tuple change = Tuple.from(new Object[] {current.getUUID("id"), next.get().status().wire(), next.get().filledQty(),
        next.get().filledAvgPrice(), broker.id(), utc(broker.submittedAt()), utc(broker.filledAt()),
        utc(broker.canceledAt()), DEFAULT_REJECTION});
    return conn.preparedQuery(LedgerQueries.UPDATE_ORDER).execute(change)
        .map(rows -> Optional.of(PortfolioRows.order(rows.iterator().next())));
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }
}
