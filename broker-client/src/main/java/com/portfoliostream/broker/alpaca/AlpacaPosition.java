package com.portfoliostream.broker.alpaca;

import java.math.BigDecimal;

/**
 * One position of {@code GET /v2/positions}. Alpaca gives a short position a negative {@code qty}
 * and side "short"; {@link #absoluteQty()} is the size as our schema stores it.
 */
public record AlpacaPosition(
    String symbol,
    BigDecimal qty,
    String side,
    BigDecimal avgEntryPrice,
    BigDecimal currentPrice,
    BigDecimal lastdayPrice,
    BigDecimal marketValue,
    BigDecimal unrealizedPl) {

  public BigDecimal absoluteQty() {
    return qty.abs();
  }
}
