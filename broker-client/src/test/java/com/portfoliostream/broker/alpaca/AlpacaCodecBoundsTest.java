package com.portfoliostream.broker.alpaca;

import static com.portfoliostream.broker.alpaca.AlpacaSamplesTest.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A broker value out of the decimal bounds makes the whole message poison, never a BigDecimal downstream. */
@DisplayName("The Alpaca codec's decimals")
class AlpacaCodecBoundsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FORTY_DIGITS = "1234567890123456789012345678901234567890";

  @ParameterizedTest(name = "a fill priced \"{0}\" (a string) is refused without repeating it")
  @ValueSource(strings = {"1e999999999", "1E+5", "NaN", "Infinity", "-Infinity", "+105.5", " 105.5",
      FORTY_DIGITS, "0." + FORTY_DIGITS, "0.0000000001"})
  void poisonStringPrice(String price) throws IOException {
    ObjectNode fill = (ObjectNode) JSON.readTree(sample("trade_update_fill"));
    ((ObjectNode) fill.get("data")).put("price", price);

    assertThatThrownBy(() -> AlpacaCodec.parseTradingStream(fill.toString()))
        .isInstanceOf(AlpacaProtocolException.class)
        .hasMessageStartingWith("'price' must be a decimal")
        .hasMessageNotContaining(FORTY_DIGITS.substring(0, 20));
  }

  @ParameterizedTest(name = "a trade of JSON number {0} is refused")
  @ValueSource(strings = {"1e999999999", "1e2147483647", "-1e-999999999", FORTY_DIGITS, "0." + FORTY_DIGITS})
  void poisonNumber(String number) {
    String frame = "[{\"T\":\"t\",\"S\":\"AAPL\",\"i\":1,\"x\":\"V\",\"p\":" + number
        + ",\"s\":100,\"t\":\"2021-02-22T15:51:44.208Z\",\"c\":[\"@\"],\"z\":\"C\"}]";

    assertThatThrownBy(() -> AlpacaCodec.parseMarketData(frame))
        .isInstanceOf(AlpacaProtocolException.class).hasMessageStartingWith("'p' must be a decimal")
        .hasMessageNotContaining(FORTY_DIGITS.substring(0, 20));
  }

  @Test
  @DisplayName("the bounds hold 15 digits before the point and 9 after, as strings and as JSON numbers; -0 is 0")
  void withinBounds() {
    String frame = "[{\"T\":\"q\",\"S\":\"AAPL\",\"bp\":\"999999999999999.999999999\",\"bs\":0,"
        + "\"ap\":126.55,\"as\":-0,\"t\":\"2021-02-22T15:51:44.208Z\"}]";

    MarketDataMessage.Quote quote = (MarketDataMessage.Quote) AlpacaCodec.parseMarketData(frame).get(0);

    assertThat(quote.bidPrice()).isEqualTo(new BigDecimal("999999999999999.999999999"));
    assertThat(quote.askPrice()).isEqualByComparingTo("126.55");
    assertThat(quote.askSize().signum()).isZero();
  }

  @Test
  @DisplayName("a REST body with a position beyond the bounds is refused whole")
  void restPoison() {
    String positions = "[{\"symbol\":\"AAPL\",\"qty\":\"1e999999999\",\"side\":\"long\",\"avg_entry_price\":\"100\"}]";

    assertThatThrownBy(() -> AlpacaCodec.parsePositions(positions))
        .isInstanceOf(AlpacaProtocolException.class).hasMessageStartingWith("'qty' must be a decimal");
  }
}
