package com.portfoliostream.simulator.market;

import java.math.BigDecimal;
import java.time.Instant;

/** One trade print of the simulated market; the quote around it is one cent either side. */
public record MarketPoint(long tradeId, String symbol, BigDecimal price, int size, Instant at) {

  public static final BigDecimal HALF_SPREAD = new BigDecimal("0.01");

  public BigDecimal bid() {
    return price.subtract(HALF_SPREAD).max(HALF_SPREAD);
  }

  public BigDecimal ask() {
    return price.add(HALF_SPREAD);
  }
}
