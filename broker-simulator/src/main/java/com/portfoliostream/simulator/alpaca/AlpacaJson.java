package com.portfoliostream.simulator.alpaca;

import com.portfoliostream.simulator.market.Account;
import com.portfoliostream.simulator.market.Fill;
import com.portfoliostream.simulator.market.Position;
import com.portfoliostream.simulator.market.SimOrder;
import com.portfoliostream.simulator.market.TradeEvent;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.UUID;

/**
 * The simulator's REST and trading-stream shapes, in one place, field for field as Alpaca's
 * samples (shared/alpaca/samples): decimals as strings, RFC 3339 UTC timestamps, nulls kept.
 */
public final class AlpacaJson {

  public static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  public static final String TRADE_UPDATES = "trade_updates";
  private static final DateTimeFormatter ACTIVITY_ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS").withZone(NEW_YORK);
  private static final MathContext RATIO = new MathContext(16, RoundingMode.HALF_EVEN);

  private AlpacaJson() {}

  public static String decimal(BigDecimal value) {
    return value == null ? null : value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
  }

  public static String time(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  public static String assetId(String symbol) {
    return UUID.nameUUIDFromBytes(("asset:" + symbol).getBytes(StandardCharsets.UTF_8)).toString();
  }

  public static String activityId(Instant time, String uuid) {
    return ACTIVITY_ID_TIME.format(time) + "::" + uuid;
  }

  public static JsonObject order(SimOrder o) {
    return new JsonObject()
        .put("id", o.id()).put("client_order_id", o.clientOrderId())
        .put("created_at", time(o.createdAt())).put("updated_at", time(o.updatedAt()))
        .put("submitted_at", time(o.createdAt())).put("filled_at", time(o.filledAt()))
        .put("expired_at", time(o.expiredAt())).put("canceled_at", time(o.canceledAt()))
        .put("failed_at", time(o.failedAt())).put("replaced_at", time(o.replacedAt()))
        .put("replaced_by", o.replacedBy()).put("replaces", o.replaces())
        .put("asset_id", assetId(o.symbol())).put("symbol", o.symbol()).put("asset_class", "us_equity")
        .put("notional", decimal(o.notional())).put("qty", decimal(o.qty()))
        .put("filled_qty", decimal(o.filledQty())).put("filled_avg_price", decimal(o.filledAvgPrice()))
        .put("order_class", "").put("order_type", o.type()).put("type", o.type()).put("side", o.side())
        .put("time_in_force", o.timeInForce())
        .put("limit_price", decimal(o.limitPrice())).put("stop_price", decimal(o.stopPrice()))
        .put("status", o.status().wire()).put("extended_hours", o.extendedHours()).put("legs", null)
        .put("trail_percent", null).put("trail_price", null).put("hwm", null)
        .put("cancel_requested_at", time(o.cancelRequestedAt())).put("source", null).put("subtag", null);
  }

  public static JsonObject position(Position p, BigDecimal price, BigDecimal lastdayPrice) {
    BigDecimal marketValue = p.marketValue(price);
    BigDecimal costBasis = p.costBasis();
    BigDecimal unrealized = marketValue.subtract(costBasis);
    BigDecimal intraday = p.qty().multiply(price.subtract(lastdayPrice));
    BigDecimal lastdayValue = p.qty().multiply(lastdayPrice).abs();
    return new JsonObject()
        .put("asset_class", "us_equity").put("asset_id", assetId(p.symbol())).put("asset_marginable", true)
        .put("avg_entry_price", decimal(p.avgEntryPrice()))
        .put("change_today", decimal(ratio(price.subtract(lastdayPrice), lastdayPrice)))
        .put("cost_basis", decimal(costBasis)).put("current_price", decimal(price))
        .put("exchange", p.symbol().equals("SPY") ? "ARCA" : "NASDAQ")
        .put("lastday_price", decimal(lastdayPrice)).put("market_value", decimal(marketValue))
        .put("qty", decimal(p.qty())).put("qty_available", decimal(p.qty()))
        .put("side", p.isShort() ? "short" : "long").put("symbol", p.symbol())
        .put("unrealized_intraday_pl", decimal(intraday))
        .put("unrealized_intraday_plpc", decimal(ratio(intraday, lastdayValue)))
        .put("unrealized_pl", decimal(unrealized))
        .put("unrealized_plpc", decimal(ratio(unrealized, costBasis.abs())));
  }

  public static JsonObject account(Account a, Map<String, BigDecimal> prices) {
    BigDecimal equity = a.equity(prices);
    BigDecimal gross = a.grossMarketValue(prices);
    BigDecimal buyingPower = a.buyingPower(prices);
    return new JsonObject()
        .put("account_blocked", false).put("account_number", a.accountNumber())
        .put("buying_power", decimal(buyingPower)).put("cash", decimal(a.cash()))
        .put("created_at", time(a.createdAt())).put("currency", "USD").put("crypto_status", "INACTIVE")
        .put("non_marginable_buying_power", decimal(a.cash().max(BigDecimal.ZERO)))
        .put("accrued_fees", "0").put("pending_transfer_in", "0").put("pending_transfer_out", "0")
        .put("daytrade_count", 0).put("daytrading_buying_power", decimal(buyingPower))
        .put("equity", decimal(equity)).put("id", a.id())
        .put("initial_margin", decimal(gross.divide(BigDecimal.valueOf(2))))
        .put("last_equity", decimal(a.lastEquity()))
        .put("last_maintenance_margin", decimal(gross.divide(BigDecimal.valueOf(4))))
        .put("long_market_value", decimal(a.longMarketValue(prices)))
        .put("maintenance_margin", decimal(gross.divide(BigDecimal.valueOf(4))))
        .put("multiplier", "2").put("pattern_day_trader", false).put("portfolio_value", decimal(equity))
        .put("regt_buying_power", decimal(buyingPower))
        .put("short_market_value", decimal(a.shortMarketValue(prices)))
        .put("shorting_enabled", true).put("sma", "0").put("status", "ACTIVE")
        .put("trade_suspended_by_user", false).put("trading_blocked", false).put("transfers_blocked", false);
  }

  public static JsonObject activity(Fill f) {
    return new JsonObject()
        .put("activity_type", "FILL").put("cum_qty", decimal(f.cumQty())).put("id", f.activityId())
        .put("leaves_qty", decimal(f.leavesQty())).put("order_id", f.orderId())
        .put("order_status", f.orderStatus().wire()).put("price", decimal(f.price()))
        .put("qty", decimal(f.qty())).put("side", f.side()).put("symbol", f.symbol())
        .put("transaction_time", time(f.transactionTime()))
        .put("type", f.isPartial() ? "partial_fill" : "fill");
  }

  /** A whole {@code trade_updates} message; fills carry execution id, price, qty and position qty. */
  public static JsonObject tradeUpdate(TradeEvent event, SimOrder order, Fill fill, BigDecimal positionQty,
      Instant at) {
    JsonObject data = new JsonObject().put("event", event.wire());
    if (fill != null) {
      data.put("execution_id", fill.executionId());
    }
    data.put("order", order(order));
    if (fill != null) {
      data.put("position_qty", decimal(positionQty)).put("price", decimal(fill.price()))
          .put("qty", decimal(fill.qty()));
    }
    data.put("timestamp", time(at));
    return new JsonObject().put("stream", TRADE_UPDATES).put("data", data);
  }

  private static BigDecimal ratio(BigDecimal part, BigDecimal whole) {
    return whole.signum() == 0 ? BigDecimal.ZERO : part.divide(whole, RATIO);
  }
}
