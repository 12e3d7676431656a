package com.portfoliostream.events.model;

import com.portfoliostream.events.protocol.EventPayload;
import java.math.BigDecimal;
import java.time.Instant;

/** One execution (fill) of an order. {@code pnl} is the realized P&amp;L of the closing part, if any. */
public record Trade(
    String tradeId,
    String orderId,
    String symbol,
    OrderSide side,
    BigDecimal quantity,
    BigDecimal price,
    BigDecimal pnl,
    Instant executedAt,
    String strategyId)
    implements EventPayload {}
