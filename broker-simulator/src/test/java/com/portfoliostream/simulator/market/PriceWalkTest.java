package com.portfoliostream.simulator.market;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The seeded price walk")
class PriceWalkTest {

  private static final SortedMap<String, BigDecimal> OPENING = new TreeMap<>(Map.of(
      "AAPL", new BigDecimal("175.50"), "TSLA", new BigDecimal("248.20"), "PENNY", new BigDecimal("0.02")));

  @Test
  @DisplayName("gives the same price path for the same seed, and another for another seed")
  void deterministic() {
    List<Map<String, BigDecimal>> first = path(42, 200);
    List<Map<String, BigDecimal>> again = path(42, 200);
    List<Map<String, BigDecimal>> other = path(43, 200);

    assertThat(again).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
    assertThat(first.get(199).get("AAPL")).isNotEqualByComparingTo(OPENING.get("AAPL"));
  }

  @Test
  @DisplayName("keeps prices in cents and never below one cent")
  void centsAndFloor() {
    for (Map<String, BigDecimal> prices : path(7, 500)) {
      prices.values().forEach(p -> {
        assertThat(p.scale()).isEqualTo(2);
        assertThat(p).isGreaterThanOrEqualTo(new BigDecimal("0.01"));
      });
    }
  }

  private static List<Map<String, BigDecimal>> path(long seed, int steps) {
    PriceWalk walk = new PriceWalk(seed, new BigDecimal("5"));
    SortedMap<String, BigDecimal> prices = new TreeMap<>(OPENING);
    List<Map<String, BigDecimal>> path = new ArrayList<>();
    for (int i = 0; i < steps; i++) {
      prices.putAll(walk.next(prices));
      path.add(Map.copyOf(prices));
    }
    return path;
  }
}
