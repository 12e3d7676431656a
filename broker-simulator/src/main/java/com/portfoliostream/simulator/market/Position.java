package com.portfoliostream.simulator.market;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * One holding: a signed quantity (negative when short) and the average price it was entered at.
 * Fills that add to it average the entry price; fills that reduce it keep it; a fill that goes
 * through zero starts the new side at the fill price.
 */
public final class Position {

  private static final int PRICE_SCALE = 6;

  private final String symbol;
  private BigDecimal qty;
  private BigDecimal avgEntryPrice;

  public Position(String symbol, BigDecimal qty, BigDecimal avgEntryPrice) {
    this.symbol = symbol;
    this.qty = qty;
    this.avgEntryPrice = avgEntryPrice;
  }

  public String symbol() {
    return symbol;
  }

  public BigDecimal qty() {
    return qty;
  }

  public BigDecimal avgEntryPrice() {
    return avgEntryPrice;
  }

  public boolean isShort() {
    return qty.signum() < 0;
  }

  /** Applies a signed quantity change at a price. */
  void apply(BigDecimal signedQty, BigDecimal price) {
    BigDecimal newQty = qty.add(signedQty);
    if (qty.signum() == 0 || qty.signum() == signedQty.signum()) {
      BigDecimal cost = qty.abs().multiply(avgEntryPrice).add(signedQty.abs().multiply(price));
      avgEntryPrice = cost.divide(newQty.abs(), PRICE_SCALE, RoundingMode.HALF_EVEN).stripTrailingZeros();
    } else if (newQty.signum() != 0 && newQty.signum() != qty.signum()) {
      avgEntryPrice = price;
    }
    qty = newQty;
  }

  /** Signed quantity times price: negative for a short. */
  public BigDecimal marketValue(BigDecimal price) {
    return qty.multiply(price);
  }

  /** Signed quantity times the entry price. */
  public BigDecimal costBasis() {
    return qty.multiply(avgEntryPrice);
  }
}
