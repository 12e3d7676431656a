package com.portfoliostream.ingest.fills;

import com.portfoliostream.events.model.OrderSide;
import com.portfoliostream.events.model.PositionSide;
import com.portfoliostream.events.model.Valuation;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * What one fill does to a position, in exact decimals: opening or adding averages the entry price
 * (weighted by quantity); reducing keeps it and realizes P&amp;L on the closed part; a fill larger than
 * the position closes it and opens the other side at the fill price.
 */
public final class PositionMath {

  /** Scale of the average entry price column (NUMERIC(24, 9)). */
  public static final int PRICE_SCALE = 9;

  /** A position as the schema stores it: a non-negative size, a side, an average entry price. */
  public record Holding(BigDecimal qty, PositionSide side, BigDecimal avgEntryPrice) {

    public static final Holding FLAT = new Holding(BigDecimal.ZERO, PositionSide.LONG, BigDecimal.ZERO);

    /** Long positive, short negative. */
    public BigDecimal signedQty() {
      return side == PositionSide.SHORT ? qty.negate() : qty;
    }
  }

  /** The position after the fill, and the P&amp;L the fill realized (zero when it only opened or added). */
  public record Result(Holding holding, BigDecimal realizedPnl) {}

  private PositionMath() {}

  public static Result apply(Holding before, OrderSide side, BigDecimal qty, BigDecimal price) {
    if (qty.signum() <= 0 || price.signum() <= 0) {
      throw new IllegalArgumentException("a fill has a positive quantity and price, got " + qty + " @ " + price);
    }
    BigDecimal held = before.signedQty();
    BigDecimal fill = side == OrderSide.BUY ? qty : qty.negate();
    if (held.signum() == 0 || held.signum() == fill.signum()) {
      return new Result(add(before, held, fill, price), Valuation.money(BigDecimal.ZERO));
    }
    BigDecimal closed = qty.min(before.qty());
    BigDecimal perShare = before.side() == PositionSide.LONG
        ? price.subtract(before.avgEntryPrice()) : before.avgEntryPrice().subtract(price);
    BigDecimal realized = Valuation.money(perShare.multiply(closed));
    BigDecimal remaining = held.add(fill);
    if (remaining.signum() == 0) {
      return new Result(new Holding(BigDecimal.ZERO, before.side(), BigDecimal.ZERO), realized);
    }
    if (remaining.signum() == held.signum()) {
      return new Result(new Holding(remaining.abs(), before.side(), before.avgEntryPrice()), realized);
    }
    return new Result(new Holding(remaining.abs(), sideOf(remaining), scaled(price)), realized);
  }

  private static Holding add(Holding before, BigDecimal held, BigDecimal fill, BigDecimal price) {
    BigDecimal total = held.add(fill).abs();
    BigDecimal cost = before.avgEntryPrice().multiply(held.abs()).add(price.multiply(fill.abs()));
    BigDecimal average = cost.divide(total, PRICE_SCALE, RoundingMode.HALF_EVEN);
    return new Holding(total, sideOf(fill), average);
  }

  private static PositionSide sideOf(BigDecimal signedQty) {
    return signedQty.signum() < 0 ? PositionSide.SHORT : PositionSide.LONG;
  }

  private static BigDecimal scaled(BigDecimal price) {
    return price.setScale(Math.max(price.scale(), 2), RoundingMode.UNNECESSARY);
  }
}
