package com.portfoliostream.events.model;

import com.portfoliostream.events.protocol.EventPayload;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * An order, as the client sees it. {@code orderId} is ours and is also the broker's
 * {@code client_order_id}; {@code brokerOrderId} is the broker's own id once it has one.
 */
public record Order(
    String orderId,
    String brokerOrderId,
    String symbol,
    OrderSide side,
    OrderType type,
    TimeInForce timeInForce,
    OrderStatus status,
    BigDecimal qty,
    BigDecimal filledQty,
    BigDecimal filledAvgPrice,
    BigDecimal limitPrice,
    BigDecimal stopPrice,
    Instant submittedAt,
    Instant filledAt,
    Instant canceledAt,
    String rejectReason,
    String strategyId,
    Instant updatedAt,
    Long version)
    implements EventPayload, Versioned {

  public String key() {
    return orderId;
  }
}
