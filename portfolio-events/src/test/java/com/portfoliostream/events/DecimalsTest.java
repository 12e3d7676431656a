package com.portfoliostream.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.portfoliostream.events.model.Decimals;
import com.portfoliostream.events.model.Decimals.BadDecimal;
import com.portfoliostream.events.model.Decimals.Sign;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The one decimal parser")
class DecimalsTest {

  private static final String MAX = "999999999999999.999999999";

  @Test
  @DisplayName("takes 15 digits before the point and 9 after, exactly as written")
  void maximum() {
    assertThat(Decimals.parse(MAX, Sign.POSITIVE)).isEqualTo(new BigDecimal(MAX));
    assertThat(Decimals.parse("0.000000001", Sign.POSITIVE)).isEqualTo(new BigDecimal("0.000000001"));
    assertThat(Decimals.parse("175.50", Sign.POSITIVE).toPlainString()).isEqualTo("175.50");
    assertThat(Decimals.parse("-23140.2", Sign.ANY)).isEqualTo(new BigDecimal("-23140.2"));
    assertThat(Decimals.parse("0", Sign.NON_NEGATIVE)).isZero();
    assertThat(Decimals.MAX_PRECISION).isEqualTo(24);
  }

  @Test
  @DisplayName("refuses one digit more before the point or after it")
  void oneMore() {
    assertRefused("1999999999999999.999999999");
    assertRefused("999999999999999.9999999991");
    assertRefused("1000000000000000");
    assertRefused("0.0000000001");
  }

  @ParameterizedTest(name = "refuses \"{0}\"")
  @ValueSource(strings = {"1e999999999", "1E5", "1.5e2", "NaN", "Infinity", "-Infinity", "+1", " 1", "1 ", "1\n",
      ".5", "5.", "", "-", "1,5", "0x10", "١٢", "1234567890123456789012345678901234567890",
      "0.1234567890123456789012345678901234567890"})
  void refusesNonPlainText(String text) {
    assertRefused(text);
    assertThatThrownBy(() -> Decimals.parse(text, Sign.ANY)).isInstanceOf(BadDecimal.class);
  }

  @Test
  @DisplayName("-0 is refused where negatives are, and read as 0 where they are allowed")
  void negativeZero() {
    assertRefused("-0");
    assertThatThrownBy(() -> Decimals.parse("-0", Sign.NON_NEGATIVE)).isInstanceOf(BadDecimal.class);
    assertThat(Decimals.parse("-0", Sign.ANY).signum()).isZero();
    assertThat(Decimals.parse("-0.00", Sign.ANY)).isEqualByComparingTo("0");
  }

  @Test
  @DisplayName("holds the sign: positive refuses 0, 0 or more refuses negatives")
  void signs() {
    assertThatThrownBy(() -> Decimals.parse("0", Sign.POSITIVE)).hasMessage("must be greater than 0");
    assertThatThrownBy(() -> Decimals.parse(BigDecimal.valueOf(-1), Sign.NON_NEGATIVE)).hasMessage("must be 0 or more");
    assertThatThrownBy(() -> Decimals.parse("-1", Sign.POSITIVE)).isInstanceOf(BadDecimal.class);
  }

  @Test
  @DisplayName("takes exact JSON numbers within the same bounds, never a double")
  void jsonNumbers() {
    assertThat(Decimals.parse(new BigDecimal("126.55"), Sign.POSITIVE)).isEqualTo(new BigDecimal("126.55"));
    assertThat(Decimals.parse(4, Sign.POSITIVE)).isEqualTo(BigDecimal.valueOf(4));
    assertThat(Decimals.parse(123_456_789_012_345L, Sign.POSITIVE)).isEqualTo(new BigDecimal("123456789012345"));
    assertThat(Decimals.parse(new BigDecimal("1.5E+2"), Sign.POSITIVE).toPlainString()).isEqualTo("150");
    assertThat(Decimals.parse(new BigDecimal(MAX), Sign.POSITIVE)).isEqualTo(new BigDecimal(MAX));
    assertThatThrownBy(() -> Decimals.parse(new BigDecimal("1e999999999"), Sign.POSITIVE)).isInstanceOf(BadDecimal.class);
    assertThatThrownBy(() -> Decimals.parse(new BigDecimal("1e-999999999"), Sign.POSITIVE)).isInstanceOf(BadDecimal.class);
    assertThatThrownBy(() -> Decimals.parse(new BigDecimal("1e2147483647"), Sign.POSITIVE)).isInstanceOf(BadDecimal.class);
    assertThatThrownBy(() -> Decimals.parse(new BigDecimal("0.1234567891"), Sign.POSITIVE)).isInstanceOf(BadDecimal.class);
    assertThatThrownBy(() -> Decimals.parse(new BigInteger("1234567890123456789012345678901234567890"), Sign.ANY))
        .isInstanceOf(BadDecimal.class);
    assertThatThrownBy(() -> Decimals.parse(1.5d, Sign.POSITIVE)).isInstanceOf(BadDecimal.class);
    assertThatThrownBy(() -> Decimals.parse(Double.NaN, Sign.ANY)).isInstanceOf(BadDecimal.class);
    assertThatThrownBy(() -> Decimals.parse(Boolean.TRUE, Sign.ANY)).isInstanceOf(BadDecimal.class);
  }

  @Test
  @DisplayName("a refusal says what is accepted and never repeats the value")
  void message() {
    String huge = "9".repeat(10_000);
    assertThatThrownBy(() -> Decimals.parse(huge, Sign.POSITIVE))
        .hasMessageContaining("at most 15 digits before the point and 9 after")
        .hasMessageNotContaining("99999999999999999");
  }

  private static void assertRefused(String text) {
    assertThatThrownBy(() -> Decimals.parse(text, Sign.POSITIVE)).isInstanceOf(BadDecimal.class);
  }
}
