package com.portfoliostream.broker.alpaca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Alpaca's REST bodies (verbatim samples) against our codec. */
@DisplayName("The Alpaca REST shapes")
class AlpacaRestShapesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  @DisplayName("the account parses with exact decimals, including a negative cash balance")
  void account() throws IOException {
    AlpacaAccount account = AlpacaCodec.parseAccount(sample("account"));

    assertThat(account.id()).isEqualTo("e6fe16f3-64a4-4921-8928-cadf02f92f98");
    assertThat(account.cash()).isEqualTo(new BigDecimal("-23140.2"));
    assertThat(account.equity()).isEqualTo(new BigDecimal("103820.56"));
    assertThat(account.lastEquity()).isEqualTo(new BigDecimal("103529.24"));
    assertThat(account.buyingPower()).isEqualTo(new BigDecimal("262113.632"));
    assertThat(account.longMarketValue()).isEqualTo(new BigDecimal("126960.76"));
    assertThat(account.status()).isEqualTo("ACTIVE");
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"account", "account_openapi_2026", "account_sdk_fixture"})
  @DisplayName("every account sample parses to the same balances (extra fields of newer API versions are ignored)")
  void everyAccountSample(String name) throws IOException {
    AlpacaAccount account = AlpacaCodec.parseAccount(sample(name));

    assertThat(account.equity()).isEqualTo(new BigDecimal("103820.56"));
    assertThat(account.cash()).isEqualTo(new BigDecimal("-23140.2"));
    assertThat(account.lastEquity()).isEqualTo(new BigDecimal("103529.24"));
    assertThat(account.buyingPower()).isEqualTo(new BigDecimal("262113.632"));
  }

  @Test
  @DisplayName("a position parses with its side, size and prices")
  void position() throws IOException {
    AlpacaPosition position = AlpacaCodec.parsePositions("[" + sample("position") + "]").get(0);

    assertThat(position.symbol()).isEqualTo("AAPL");
    assertThat(position.qty()).isEqualTo(new BigDecimal("2"));
    assertThat(position.side()).isEqualTo("long");
    assertThat(position.avgEntryPrice()).isEqualTo(new BigDecimal("174.78"));
    assertThat(position.currentPrice()).isEqualTo(new BigDecimal("174.29"));
    assertThat(position.lastdayPrice()).isEqualTo(new BigDecimal("174.61"));
    assertThat(position.unrealizedPl()).isEqualTo(new BigDecimal("-0.98"));
  }

  @Test
  @DisplayName("a short position's negative quantity becomes a positive size")
  void shortPosition() {
    AlpacaPosition position = AlpacaCodec.parsePositions(
        "[{\"symbol\":\"TSLA\",\"qty\":\"-20\",\"side\":\"short\",\"avg_entry_price\":\"260\"}]").get(0);

    assertThat(position.absoluteQty()).isEqualTo(new BigDecimal("20"));
    assertThat(position.side()).isEqualTo("short");
  }

  @Test
  @DisplayName("a fill activity parses, and its id yields the execution id a stream fill carries")
  void fillActivity() throws IOException {
    FillActivity fill = AlpacaCodec.parseFillActivities("[" + sample("account_activity_fill") + "]").get(0);

    assertThat(fill.executionId()).isEqualTo("2d7be4ff-d1f3-43e9-856a-0f5cf5c5088e");
    assertThat(fill.orderId()).isEqualTo("b5abe576-6a8a-49f3-a353-46b72c1ccae9");
    assertThat(fill.qty()).isEqualTo(new BigDecimal("2"));
    assertThat(fill.price()).isEqualTo(new BigDecimal("174.78"));
    assertThat(fill.type()).isEqualTo("fill");
    assertThat(fill.transactionTime()).isEqualTo(Instant.parse("2022-02-02T18:55:09.981482Z"));
  }

  @Test
  @DisplayName("an order we submit is the documented request, plus our client order id")
  void orderRequest() throws IOException {
    OrderRequest request = new OrderRequest("AAPL", new BigDecimal("2"), "buy", "limit", "gtc",
        new BigDecimal("150"), null, "b0b6dd9d-8b9b-48a9-ba46-b9d54906e415");

    var expected = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(sample("order_post_request_equity"));
    expected.put("client_order_id", "b0b6dd9d-8b9b-48a9-ba46-b9d54906e415");
    assertThat(JSON.readTree(AlpacaCodec.orderRequest(request))).isEqualTo(expected);
  }

  @Test
  @DisplayName("Alpaca's error body yields its code and message; anything else yields nothing")
  void errorBody() throws IOException {
    AlpacaCodec.ErrorBody error = AlpacaCodec.parseError(sample("rest_error_422_sdk_fixture"));

    assertThat(error.code()).isEqualTo(40010001L);
    assertThat(error.message()).isEqualTo("qty or notional is required");
    assertThat(AlpacaCodec.parseError("<html>bad gateway</html>")).isNull();
  }

  @Test
  @DisplayName("the clock parses, and a clock without is_open is refused")
  void clock() {
    MarketClock clock = AlpacaCodec.parseClock("{\"timestamp\":\"2026-11-20T14:31:00-05:00\",\"is_open\":true,"
        + "\"next_open\":\"2026-11-23T09:30:00-05:00\",\"next_close\":\"2026-11-20T16:00:00-05:00\"}");

    assertThat(clock.isOpen()).isTrue();
    assertThat(clock.nextClose()).isEqualTo(Instant.parse("2026-11-20T21:00:00Z"));
    assertThatThrownBy(() -> AlpacaCodec.parseClock("{\"timestamp\":\"2026-11-20T14:31:00Z\"}"))
        .isInstanceOf(AlpacaProtocolException.class);
  }

  private static String sample(String name) throws IOException {
    try (InputStream in = AlpacaRestShapesTest.class.getResourceAsStream("/alpaca-samples/" + name + ".json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
