package com.portfoliostream.common.portfolio;

import com.portfoliostream.events.model.Account;
import com.portfoliostream.events.model.Order;
import com.portfoliostream.events.model.OrderSide;
import com.portfoliostream.events.model.OrderStatus;
import com.portfoliostream.events.model.OrderType;
import com.portfoliostream.events.model.Position;
import com.portfoliostream.events.model.PositionSide;
import com.portfoliostream.events.model.TimeInForce;
import com.portfoliostream.events.model.Trade;
import com.portfoliostream.events.model.Valuation;
import io.vertx.sqlclient.Row;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;

/**
 * Rows of the portfolio tables as the client's records, in one place: the edge's snapshots and REST
 * answers, and the events ingest and the order queue publish, render an entity the same way.
 */
public final class PortfolioRows {

  /** The columns each mapper reads (select them from the table of the same name). */
  public static final String POSITION_COLUMNS =
      "symbol, qty, side, avg_entry_price, current_price, strategy_id, opened_at, updated_at, version";
  public static final String ORDER_COLUMNS =
      "id, broker_order_id, symbol, side, type, time_in_force, status, qty, filled_qty, "
          + "filled_avg_price, limit_price, stop_price, submitted_at, filled_at, canceled_at, "
          + "reject_reason, strategy_id, updated_at, version";
  public static final String ACCOUNT_COLUMNS =
      "id, equity, cash, buying_power, portfolio_value, last_equity, taken_at";
  public static final String TRADE_COLUMNS =
      "id, order_id, symbol, side, qty, price, realized_pnl, executed_at, strategy_id";

  private PortfolioRows() {}

  public static Position position(Row row) {
    PositionSide side = PositionSide.valueOf(row.getString("side").toUpperCase(Locale.ROOT));
    BigDecimal qty = quantity(row, "qty");
    BigDecimal entry = price(row, "avg_entry_price");
    BigDecimal current = price(row, "current_price");
    return new Position(row.getString("symbol"), qty, current, entry,
        current == null ? null : Valuation.unrealizedPnl(side, qty, entry, current),
        current == null ? null : Valuation.unrealizedPnlPercent(side, qty, entry, current),
        current == null ? null : Valuation.marketValue(side, qty, current),
        side, row.getString("strategy_id"), instant(row, "opened_at"), instant(row, "updated_at"),
        row.getLong("version"));
  }

  public static Order order(Row row) {
    return new Order(row.getUUID("id").toString(), row.getString("broker_order_id"),
        row.getString("symbol"),
        OrderSide.valueOf(upper(row, "side")), OrderType.valueOf(upper(row, "type")),
        TimeInForce.valueOf(upper(row, "time_in_force")), OrderStatus.valueOf(upper(row, "status")),
        quantity(row, "qty"), quantity(row, "filled_qty"), price(row, "filled_avg_price"),
        price(row, "limit_price"), price(row, "stop_price"),
        instant(row, "submitted_at"), instant(row, "filled_at"), instant(row, "canceled_at"),
        row.getString("reject_reason"), row.getString("strategy_id"), instant(row, "updated_at"),
        row.getLong("version"));
  }

  public static Account account(Row row) {
    BigDecimal equity = row.getBigDecimal("equity");
    BigDecimal lastEquity = row.getBigDecimal("last_equity");
    BigDecimal dayPnl = Valuation.money(equity.subtract(lastEquity));
    return new Account(equity, row.getBigDecimal("buying_power"), row.getBigDecimal("cash"),
        row.getBigDecimal("portfolio_value"), dayPnl, Valuation.percent(dayPnl, lastEquity),
        lastEquity, instant(row, "taken_at"), row.getLong("id"));
  }

  public static Trade trade(Row row) {
    return new Trade(row.getUUID("id").toString(), row.getUUID("order_id").toString(),
        row.getString("symbol"), OrderSide.valueOf(upper(row, "side")), quantity(row, "qty"),
        price(row, "price"), row.getBigDecimal("realized_pnl"), instant(row, "executed_at"),
        row.getString("strategy_id"));
  }

  private static String upper(Row row, String column) {
    return row.getString(column).toUpperCase(Locale.ROOT);
  }

  /** Quantities without the padding zeros of the column's scale: "100", "0.5". */
  private static BigDecimal quantity(Row row, String column) {
    BigDecimal value = row.getBigDecimal(column);
    if (value == null) {
      return null;
    }
    BigDecimal stripped = value.stripTrailingZeros();
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }

  /** Prices with at least cents, and every sub-cent digit the broker gave: "175.50", "0.0123". */
  private static BigDecimal price(Row row, String column) {
    BigDecimal value = row.getBigDecimal(column);
    if (value == null) {
      return null;
    }
    BigDecimal stripped = value.stripTrailingZeros();
    return stripped.setScale(Math.max(2, stripped.scale()));
  }

  private static Instant instant(Row row, String column) {
    OffsetDateTime time = row.getOffsetDateTime(column);
    return time == null ? null : time.toInstant();
  }
}
