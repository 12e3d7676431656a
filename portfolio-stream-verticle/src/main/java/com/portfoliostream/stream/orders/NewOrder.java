package com.portfoliostream.stream.orders;

import com.portfoliostream.events.model.Order;
import com.portfoliostream.events.model.OrderSide;
import com.portfoliostream.events.model.OrderType;
import com.portfoliostream.events.model.TimeInForce;
import java.math.BigDecimal;
import java.util.Objects;

/** A valid order a trader asked for, before it has an id. Prices are null where the type has none. */
public record NewOrder(
    String symbol,
    OrderSide side,
    OrderType type,
    BigDecimal qty,
    BigDecimal limitPrice,
    BigDecimal stopPrice,
    TimeInForce timeInForce,
    String strategyId) {

  /** Whether {@code order} is this request (an idempotent retry) rather than another one under the same key. */
  public boolean sameAs(Order order) {
    return symbol.equals(order.symbol()) && side == order.side() && type == order.type()
        && timeInForce == order.timeInForce() && qty.compareTo(order.qty()) == 0
        && samePrice(limitPrice, order.limitPrice()) && samePrice(stopPrice, order.stopPrice())
        && Objects.equals(strategyId, order.strategyId());
  }

  private static boolean samePrice(BigDecimal a, BigDecimal b) {
    return a == null ? b == null : b != null && a.compareTo(b) == 0;
  }
}
