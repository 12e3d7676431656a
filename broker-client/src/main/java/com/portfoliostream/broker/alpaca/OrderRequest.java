package com.portfoliostream.broker.alpaca;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The body of {@code POST /v2/orders}. The client order id is our order id, so asking the broker
 * for it tells whether an earlier attempt already placed the order.
 */
public record OrderRequest(
    String symbol,
    BigDecimal qty,
    String side,
    String type,
    String timeInForce,
    BigDecimal limitPrice,
    BigDecimal stopPrice,
    String clientOrderId) {

  public OrderRequest {
    Objects.requireNonNull(symbol, "symbol");
    Objects.requireNonNull(qty, "qty");
    Objects.requireNonNull(side, "side");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(timeInForce, "timeInForce");
    Objects.requireNonNull(clientOrderId, "clientOrderId");
  }
}
