package com.portfoliostream.ingest.fills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.portfoliostream.events.model.OrderSide;
import com.portfoliostream.events.model.PositionSide;
import com.portfoliostream.ingest.fills.PositionMath.Holding;
import com.portfoliostream.ingest.fills.PositionMath.Result;
import java.math.BigDecimal;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Position arithmetic of a fill")
class PositionMathTest {

  @Test
  @DisplayName("a buy from flat opens a long at the fill price, realizing nothing")
  void opensLong() {
    Result r = PositionMath.apply(Holding.FLAT, OrderSide.BUY, d("10"), d("100.25"));

    assertHolding(r, "10", PositionSide.LONG, "100.25");
    assertThat(r.realizedPnl()).isEqualByComparingTo("0");
  }

  @Test
  @DisplayName("averaging up and down weights the entry price by quantity, exactly")
  void averages() {
    Holding h = long_("100", "170.25");
    Result up = PositionMath.apply(h, OrderSide.BUY, d("50"), d("180.10"));
    Result down = PositionMath.apply(up.holding(), OrderSide.BUY, d("3"), d("150.00"));

    // (100 × 170.25 + 50 × 180.10) / 150 = 173.533333333…
    assertHolding(up, "150", PositionSide.LONG, "173.533333333");
    // (150 × 173.533333333 + 3 × 150) / 153 = 173.0718954245… (the stored average, not 173.5333…, is the base)
    assertHolding(down, "153", PositionSide.LONG, "173.071895425");
  }

  @Test
  @DisplayName("a partial close of a long keeps the entry price and realizes P&L on the closed part")
  void partialCloseLong() {
    Result r = PositionMath.apply(long_("100", "170.25"), OrderSide.SELL, d("40"), d("175.50"));

    assertHolding(r, "60", PositionSide.LONG, "170.25");
    assertThat(r.realizedPnl()).isEqualByComparingTo("210.00"); // 40 × 5.25
  }

  @Test
  @DisplayName("a losing close realizes a negative P&L rounded to cents half-even")
  void losingClose() {
    Result r = PositionMath.apply(long_("3", "10.005"), OrderSide.SELL, d("3"), d("9.00"));

    assertHolding(r, "0", PositionSide.LONG, "0");
    assertThat(r.realizedPnl()).isEqualTo(d("-3.02")); // 3 × −1.005 = −3.015 → −3.02
  }

  @Test
  @DisplayName("shorts: selling opens and adds, buying back realizes entry minus price")
  void shorts() {
    Result open = PositionMath.apply(Holding.FLAT, OrderSide.SELL, d("20"), d("260.00"));
    Result add = PositionMath.apply(open.holding(), OrderSide.SELL, d("20"), d("250.00"));
    Result cover = PositionMath.apply(add.holding(), OrderSide.BUY, d("10"), d("240.00"));

    assertHolding(open, "20", PositionSide.SHORT, "260.00");
    assertHolding(add, "40", PositionSide.SHORT, "255.000000000");
    assertHolding(cover, "30", PositionSide.SHORT, "255.000000000");
    assertThat(cover.realizedPnl()).isEqualByComparingTo("150.00"); // 10 × (255 − 240)
  }

  @Test
  @DisplayName("one sell larger than a long closes it and opens a short at the fill price")
  void flipLongToShort() {
    Result r = PositionMath.apply(long_("50", "245.75"), OrderSide.SELL, d("80"), d("250.00"));

    assertHolding(r, "30", PositionSide.SHORT, "250.00");
    assertThat(r.realizedPnl()).isEqualByComparingTo("212.50"); // 50 × 4.25, only the closed part
  }

  @Test
  @DisplayName("one buy larger than a short closes it and opens a long at the fill price")
  void flipShortToLong() {
    Result r = PositionMath.apply(new Holding(d("20"), PositionSide.SHORT, d("260.00")), OrderSide.BUY, d("25"),
        d("270.00"));

    assertHolding(r, "5", PositionSide.LONG, "270.00");
    assertThat(r.realizedPnl()).isEqualByComparingTo("-200.00");
  }

  @Test
  @DisplayName("fractional quantities stay exact")
  void fractional() {
    Result r = PositionMath.apply(long_("0.5", "100"), OrderSide.BUY, d("0.25"), d("130"));

    assertHolding(r, "0.75", PositionSide.LONG, "110.000000000");
  }

  @Test
  @DisplayName("a fill without a positive quantity or price is refused")
  void refusesNonsense() {
    assertThatThrownBy(() -> PositionMath.apply(Holding.FLAT, OrderSide.BUY, d("0"), d("1")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PositionMath.apply(Holding.FLAT, OrderSide.BUY, d("1"), d("-1")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void assertHolding(Result r, String qty, PositionSide side, String avg) {
    assertThat(r.holding().qty()).isEqualByComparingTo(qty);
    assertThat(r.holding().side()).isEqualTo(side);
    assertThat(r.holding().avgEntryPrice()).isEqualByComparingTo(avg);
  }

  private static Holding long_(String qty, String avg) {
    return new Holding(d(qty), PositionSide.LONG, d(avg));
  }

  private static BigDecimal d(String value) {
    return new BigDecimal(value);
  }
}
