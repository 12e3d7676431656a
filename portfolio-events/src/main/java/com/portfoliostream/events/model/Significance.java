package com.portfoliostream.events.model;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Whether a price-driven position update is worth sending: the one place this is decided, for
 * the edge and for whoever produces price updates. A change of quantity or side always is; a
 * price move is when it changes the position's value by more than the threshold (0.1 % by
 * default) since the last state that was sent: |Δprice| / price &gt; threshold.
 */
public final class Significance {

  public static final BigDecimal DEFAULT_THRESHOLD_PERCENT = new BigDecimal("0.1");
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  private Significance() {}

  public static boolean isSignificant(Position lastSent, Position next, BigDecimal thresholdPercent) {
    if (lastSent == null || next.quantity() == null || lastSent.quantity() == null
        || next.quantity().compareTo(lastSent.quantity()) != 0 || next.side() != lastSent.side()) {
      return true;
    }
    BigDecimal before = lastSent.currentPrice();
    BigDecimal after = next.currentPrice();
    if (before == null || after == null || before.signum() == 0) {
      return before != after;
    }
    BigDecimal movePercent = after.subtract(before).abs().multiply(HUNDRED).divide(before.abs(), MathContext.DECIMAL64);
    return movePercent.compareTo(thresholdPercent) > 0;
  }
}
