package com.portfoliostream.simulator.market;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;

/**
 * A seeded random walk: each tick multiplies every price by {@code 1 + volatility × N(0,1)}, in
 * symbol order, rounded to the cent and never below one cent. The same seed and the same symbols
 * give the same path.
 */
public final class PriceWalk {

  private static final BigDecimal ONE_CENT = new BigDecimal("0.01");
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  private final Random random;
  private final BigDecimal volatility;

  public PriceWalk(long seed, BigDecimal volatilityPercent) {
    this.random = new Random(seed);
    this.volatility = volatilityPercent.divide(HUNDRED);
  }

  /** The next price of every symbol. */
  public Map<String, BigDecimal> next(SortedMap<String, BigDecimal> prices) {
    Map<String, BigDecimal> next = new LinkedHashMap<>();
    prices.forEach((symbol, price) -> {
      BigDecimal factor = BigDecimal.ONE.add(volatility.multiply(BigDecimal.valueOf(random.nextGaussian())));
      next.put(symbol, price.multiply(factor).setScale(2, RoundingMode.HALF_EVEN).max(ONE_CENT));
    });
    return next;
  }
}
