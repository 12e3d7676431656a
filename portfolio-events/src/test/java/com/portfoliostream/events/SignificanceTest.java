package com.portfoliostream.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.events.model.Position;
import com.portfoliostream.events.model.PositionSide;
import com.portfoliostream.events.model.Significance;
import java.math.BigDecimal;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The significance filter")
class SignificanceTest {

  private static final BigDecimal THRESHOLD = Significance.DEFAULT_THRESHOLD_PERCENT;

  @Test
  @DisplayName("a price move of 0.1 % or less is not significant; more is")
  void priceMoves() {
    Position base = position("100", "175.50", PositionSide.LONG);

    assertThat(Significance.isSignificant(base, position("100", "175.67", PositionSide.LONG), THRESHOLD)).isFalse();
    assertThat(Significance.isSignificant(base, position("100", "175.6755", PositionSide.LONG), THRESHOLD)).isFalse();
    assertThat(Significance.isSignificant(base, position("100", "175.68", PositionSide.LONG), THRESHOLD)).isTrue();
    assertThat(Significance.isSignificant(base, position("100", "175.32", PositionSide.LONG), THRESHOLD)).isTrue();
  }

  @Test
  @DisplayName("a change of quantity or side always passes, as does the first state")
  void quantityAlwaysPasses() {
    Position base = position("100", "175.50", PositionSide.LONG);

    assertThat(Significance.isSignificant(base, position("101", "175.50", PositionSide.LONG), THRESHOLD)).isTrue();
    assertThat(Significance.isSignificant(base, position("100", "175.50", PositionSide.SHORT), THRESHOLD)).isTrue();
    assertThat(Significance.isSignificant(base, position("100.0", "175.50", PositionSide.LONG), THRESHOLD)).isFalse();
    assertThat(Significance.isSignificant(null, base, THRESHOLD)).isTrue();
  }

  private static Position position(String qty, String price, PositionSide side) {
    return new Position("AAPL", new BigDecimal(qty), new BigDecimal(price), new BigDecimal("170.25"),
        null, null, null, side, null, null, null, 1L);
  }
}
