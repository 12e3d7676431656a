package com.portfoliostream.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.events.model.PositionSide;
import com.portfoliostream.events.model.Valuation;
import java.math.BigDecimal;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Position valuation")
class ValuationTest {

  @Test
  @DisplayName("reproduces the seed's AAPL example exactly")
  void seedExample() {
    BigDecimal qty = new BigDecimal("100");
    BigDecimal entry = new BigDecimal("170.25");
    BigDecimal price = new BigDecimal("175.50");

    assertThat(Valuation.marketValue(PositionSide.LONG, qty, price)).isEqualTo(new BigDecimal("17550.00"));
    assertThat(Valuation.unrealizedPnl(PositionSide.LONG, qty, entry, price)).isEqualTo(new BigDecimal("525.00"));
    assertThat(Valuation.unrealizedPnlPercent(PositionSide.LONG, qty, entry, price)).isEqualTo(new BigDecimal("3.08"));
  }

  @Test
  @DisplayName("a short gains when the price falls, and its market value is negative")
  void shortPosition() {
    BigDecimal qty = new BigDecimal("20");
    BigDecimal entry = new BigDecimal("260.00");
    BigDecimal price = new BigDecimal("248.20");

    assertThat(Valuation.unrealizedPnl(PositionSide.SHORT, qty, entry, price)).isEqualTo(new BigDecimal("236.00"));
    assertThat(Valuation.unrealizedPnlPercent(PositionSide.SHORT, qty, entry, price)).isEqualTo(new BigDecimal("4.54"));
    assertThat(Valuation.marketValue(PositionSide.SHORT, qty, price)).isEqualTo(new BigDecimal("-4964.00"));
  }

  @Test
  @DisplayName("fractional quantities and sub-cent prices stay exact until rounding to cents")
  void fractional() {
    assertThat(Valuation.unrealizedPnl(PositionSide.LONG, new BigDecimal("0.333333333"),
        new BigDecimal("100.0001"), new BigDecimal("100.0101"))).isEqualTo(new BigDecimal("0.00"));
    assertThat(Valuation.unrealizedPnl(PositionSide.LONG, new BigDecimal("1000"),
        new BigDecimal("0.1"), new BigDecimal("0.3"))).isEqualTo(new BigDecimal("200.00"));
    assertThat(Valuation.percent(BigDecimal.ONE, BigDecimal.ZERO)).isEqualTo(new BigDecimal("0.00"));
  }
}
