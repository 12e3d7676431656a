package com.portfoliostream.events.model;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The arithmetic of a position's and an account's value, in exact decimals. Money is rounded to
 * cents and percentages to two places, half-even, only at the end.
 */
public final class Valuation {

  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
  private static final MathContext DIVISION = MathContext.DECIMAL64;

  private Valuation() {}

  /** Market value: positive for a long position, negative for a short one (as Alpaca reports it). */
  public static BigDecimal marketValue(PositionSide side, BigDecimal qty, BigDecimal price) {
    BigDecimal value = qty.multiply(price);
    return money(side == PositionSide.SHORT ? value.negate() : value);
  }

  /** Unrealized P&amp;L: what closing at {@code price} would gain (negative: lose). */
  public static BigDecimal unrealizedPnl(PositionSide side, BigDecimal qty, BigDecimal entry, BigDecimal price) {
    BigDecimal perShare = side == PositionSide.SHORT ? entry.subtract(price) : price.subtract(entry);
    return money(perShare.multiply(qty));
  }

  /** Unrealized P&amp;L as a percent of the cost basis; zero for a flat position. */
  public static BigDecimal unrealizedPnlPercent(PositionSide side, BigDecimal qty, BigDecimal entry, BigDecimal price) {
    BigDecimal cost = entry.multiply(qty);
    if (cost.signum() == 0) {
      return BigDecimal.ZERO.setScale(2);
    }
    BigDecimal perShare = side == PositionSide.SHORT ? entry.subtract(price) : price.subtract(entry);
    return percent(perShare.multiply(qty), cost);
  }

  /** {@code part / whole * 100} to two places; zero when {@code whole} is zero. */
  public static BigDecimal percent(BigDecimal part, BigDecimal whole) {
    if (whole.signum() == 0) {
      return BigDecimal.ZERO.setScale(2);
    }
    return part.multiply(HUNDRED).divide(whole.abs(), DIVISION).setScale(2, RoundingMode.HALF_EVEN);
  }

  public static BigDecimal money(BigDecimal amount) {
    return amount.setScale(2, RoundingMode.HALF_EVEN);
  }
}
