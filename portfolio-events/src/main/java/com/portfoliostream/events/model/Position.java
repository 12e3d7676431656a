package com.portfoliostream.events.model;

import com.portfoliostream.events.protocol.EventPayload;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * A holding in one symbol, as the client sees it. Quantities and prices are the broker's; money
 * and percentages are rounded to two places by whoever computes them. {@code version} grows with
 * every change of the row, so an older update can never overwrite a newer one.
 */
public record Position(
    String symbol,
    BigDecimal quantity,
    BigDecimal currentPrice,
    BigDecimal entryPrice,
    BigDecimal unrealizedPnl,
    BigDecimal unrealizedPnlPercent,
    BigDecimal marketValue,
    PositionSide side,
    String strategyId,
    Instant openedAt,
    Long version)
    implements EventPayload, Versioned {

  /** The key under which a newer state of the same position replaces this one. */
  public String key() {
    return symbol;
  }
}
