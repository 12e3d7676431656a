package com.portfoliostream.events.model;

import com.portfoliostream.events.protocol.EventPayload;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * A holding in one symbol, as the client sees it. Quantities and prices are the broker's; money
 * and percentages are rounded to two places by whoever computes them. {@code asOf} is the broker
 * time of the price or fill this state reflects; {@code version} grows with every change, so an
 * older update can never overwrite a newer one.
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
    Instant asOf,
    Long version)
    implements EventPayload, Versioned {

  /** The key under which a newer state of the same position replaces this one. */
  public String key() {
    return symbol;
  }
}
