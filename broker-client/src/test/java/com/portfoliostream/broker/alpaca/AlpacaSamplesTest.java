package com.portfoliostream.broker.alpaca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Alpaca's own messages (verbatim copies of shared/alpaca/samples) against our codec. */
@DisplayName("The Alpaca streaming protocol")
class AlpacaSamplesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  @DisplayName("our trading-stream requests are exactly the documented ones")
  void tradingRequests() throws IOException {
    assertThat(tree(AlpacaCodec.authenticate("{YOUR_API_KEY_ID}", "{YOUR_API_SECRET_KEY}")))
        .isEqualTo(tree(sample("ts_auth_request")));
    assertThat(tree(AlpacaCodec.listenTradeUpdates())).isEqualTo(tree(sample("ts_listen_request")));
  }

  @Test
  @DisplayName("authorization and listening answers parse, authorized or not")
  void tradingControl() throws IOException {
    var authorized = (TradingStreamMessage.Authorization) AlpacaCodec.parseTradingStream(sample("ts_auth_authorized"));
    var refused = (TradingStreamMessage.Authorization) AlpacaCodec.parseTradingStream(sample("ts_auth_unauthorized"));
    var listenRefused = (TradingStreamMessage.Authorization) AlpacaCodec.parseTradingStream(sample("ts_listen_unauthorized"));
    var listening = (TradingStreamMessage.Listening) AlpacaCodec.parseTradingStream(sample("ts_listening"));

    assertThat(authorized.authorized()).isTrue();
    assertThat(refused.authorized()).isFalse();
    assertThat(listenRefused.action()).isEqualTo("listen");
    assertThat(listening.streams()).containsExactly("trade_updates");
  }

  @Test
  @DisplayName("a fill parses into an execution with exact decimals and the order's new state")
  void fill() throws IOException {
    var update = (TradingStreamMessage.TradeUpdate) AlpacaCodec.parseTradingStream(sample("trade_update_fill"));

    assertThat(update.isExecution()).isTrue();
    assertThat(update.executionId()).isEqualTo("2f63ea93-423d-4169-b3f6-3fdafc10c418");
    assertThat(update.price()).isEqualTo(new BigDecimal("105.8988475"));
    assertThat(update.qty()).isEqualTo(new BigDecimal("1790.86"));
    assertThat(update.positionQty()).isEqualTo(new BigDecimal("0"));
    assertThat(update.timestamp()).isEqualTo(Instant.parse("2022-04-19T17:45:05.024916716Z"));
    assertThat(update.order().status()).isEqualTo("filled");
    assertThat(update.order().clientOrderId()).isEqualTo("4642fd68-d59a-47d7-a9ac-e22f536828d1");
    assertThat(update.order().submittedAt()).isEqualTo(Instant.parse("2022-04-19T17:45:04.980944666Z"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokerEvents")
  @DisplayName("the Broker API's trade events carry the same trade update")
  void brokerEvents(String name, String event) throws IOException {
    var update = AlpacaCodec.tradeUpdate(JSON.readTree(sample(name)));

    assertThat(update.event()).isEqualTo(event);
    assertThat(update.order().id()).isNotBlank();
    assertThat(update.timestamp()).isNotNull();
  }

  static Stream<org.junit.jupiter.params.provider.Arguments> brokerEvents() {
    return Stream.of(
        org.junit.jupiter.params.provider.Arguments.of("trade_update_new_broker_sse_v1", "new"),
        org.junit.jupiter.params.provider.Arguments.of("trade_update_new_broker_sse_v2", "new"),
        org.junit.jupiter.params.provider.Arguments.of("trade_update_fill_mleg_broker_sse_v2", "fill"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("orders")
  @DisplayName("REST order objects parse")
  void orders(String name) throws IOException {
    AlpacaOrder order = AlpacaCodec.parseOrder(sample(name));

    assertThat(order.id()).isNotBlank();
    assertThat(order.symbol()).isNotBlank();
    assertThat(order.status()).isNotBlank();
  }

  static Stream<String> orders() {
    return Stream.of("order", "order_equity_limit_accepted", "order_limit_spy_accepted_sdk_fixture");
  }

  @Test
  @DisplayName("our market-data requests are exactly the documented ones")
  void marketDataRequests() throws IOException {
    assertThat(tree(AlpacaCodec.marketDataAuth("{KEY_ID}", "{SECRET}"))).isEqualTo(tree(sample("md_auth_request")));
    assertThat(tree(AlpacaCodec.subscribe(List.of("AAPL"), List.of("AMD", "CLDR"), List.of("AAPL", "VOO"))))
        .isEqualTo(tree(sample("md_subscribe_request")));
    assertThat(tree(AlpacaCodec.unsubscribe(List.of("VOO"), List.of("IBM"), List.of())))
        .isEqualTo(tree(sample("md_unsubscribe_request")));
  }

  @Test
  @DisplayName("market-data control frames parse: connected, authenticated, subscriptions")
  void marketDataControl() throws IOException {
    assertThat(AlpacaCodec.parseMarketData(sample("md_connected"))).containsExactly(new MarketDataMessage.Success("connected"));
    assertThat(AlpacaCodec.parseMarketData(sample("md_authenticated"))).containsExactly(new MarketDataMessage.Success("authenticated"));
    assertThat(AlpacaCodec.parseMarketData(sample("md_subscription"))).containsExactly(new MarketDataMessage.Subscription(
        List.of("AAPL"), List.of("AMD", "CLDR"), List.of("IBM", "AAPL", "VOO")));
    assertThat(AlpacaCodec.parseMarketData(sample("md_subscription_after_unsubscribe")))
        .containsExactly(new MarketDataMessage.Subscription(List.of("AAPL"), List.of("AMD", "CLDR"), List.of()));
  }

  @ParameterizedTest(name = "{0} is error {1}")
  @MethodSource("errors")
  void marketDataErrors(String name, int code) throws IOException {
    List<MarketDataMessage> frame = AlpacaCodec.parseMarketData(sample(name));

    assertThat(frame).singleElement().isInstanceOf(MarketDataMessage.Error.class)
        .satisfies(e -> assertThat(((MarketDataMessage.Error) e).code()).isEqualTo(code));
  }

  static Stream<org.junit.jupiter.params.provider.Arguments> errors() {
    return Stream.of("md_error_400_invalid_syntax", "md_error_401_not_authenticated", "md_error_402_auth_failed",
            "md_error_403_already_authenticated", "md_error_404_auth_timeout", "md_error_405_symbol_limit_exceeded",
            "md_error_406_connection_limit_exceeded", "md_error_407_slow_client", "md_error_408_v2_not_enabled",
            "md_error_409_insufficient_subscription", "md_error_500_internal_error")
        .map(name -> org.junit.jupiter.params.provider.Arguments.of(name, Integer.parseInt(name.split("_")[2])));
  }

  @Test
  @DisplayName("trades, quotes, bars and statuses parse with exact prices, alone or batched in frames")
  void marketDataPoints() throws IOException {
    var trade = (MarketDataMessage.TradeTick) AlpacaCodec.parseMarketData(sample("md_trade")).get(0);
    var quote = (MarketDataMessage.Quote) AlpacaCodec.parseMarketData(sample("md_quote")).get(0);
    var bar = (MarketDataMessage.Bar) AlpacaCodec.parseMarketData(sample("md_bar")).get(0);
    var daily = (MarketDataMessage.Bar) AlpacaCodec.parseMarketData(sample("md_daily_bar")).get(0);
    var updated = (MarketDataMessage.Bar) AlpacaCodec.parseMarketData(sample("md_updated_bar_sdk_fixture")).get(0);
    var sdkBar = (MarketDataMessage.Bar) AlpacaCodec.parseMarketData(sample("md_bar_sdk_fixture")).get(0);
    var status = (MarketDataMessage.TradingStatus) AlpacaCodec.parseMarketData(sample("md_status")).get(0);

    assertThat(trade.price()).isEqualTo(new BigDecimal("126.55"));
    assertThat(trade.time()).isEqualTo(Instant.parse("2021-02-22T15:51:44.208Z"));
    assertThat(quote.bidPrice()).isEqualTo(new BigDecimal("87.66"));
    assertThat(quote.askPrice()).isEqualTo(new BigDecimal("87.68"));
    assertThat(bar.open()).isEqualTo(new BigDecimal("388.985"));
    assertThat(daily.kind()).isEqualTo("d");
    assertThat(updated.kind()).isEqualTo("u");
    assertThat(sdkBar.volume()).isEqualTo(new BigDecimal("72015712"));
    assertThat(status.statusCode()).isEqualTo("H");
    assertThat(AlpacaCodec.parseMarketData(sample("md_frame_trade_batch"))).hasSize(1);
    assertThat(AlpacaCodec.parseMarketData(sample("md_frame_quote_batch"))).hasSize(3)
        .allMatch(m -> m instanceof MarketDataMessage.Quote);
  }

  @Test
  @DisplayName("malformed or unknown messages are refused with the reason, never half-parsed")
  void refusesMalformed() {
    assertThatThrownBy(() -> AlpacaCodec.parseTradingStream("{\"stream\":\"trade_updates\"}"))
        .isInstanceOf(AlpacaProtocolException.class).hasMessageContaining("'data'");
    assertThatThrownBy(() -> AlpacaCodec.parseTradingStream("{\"stream\":\"news\",\"data\":{}}"))
        .isInstanceOf(AlpacaProtocolException.class).hasMessageContaining("news");
    assertThatThrownBy(() -> AlpacaCodec.parseMarketData("[{\"T\":\"x\"}]"))
        .isInstanceOf(AlpacaProtocolException.class).hasMessageContaining("'x'");
    assertThatThrownBy(() -> AlpacaCodec.parseMarketData("[{\"T\":\"t\",\"S\":\"AAPL\",\"p\":\"abc\"}]"))
        .isInstanceOf(AlpacaProtocolException.class).hasMessageContaining("'p'");
    assertThatThrownBy(() -> AlpacaCodec.parseMarketData("[{"))
        .isInstanceOf(AlpacaProtocolException.class).hasMessageContaining("not JSON");
  }

  private static JsonNode tree(String json) throws IOException {
    return JSON.readTree(json);
  }

  static String sample(String name) throws IOException {
    try (InputStream in = AlpacaSamplesTest.class.getResourceAsStream("/alpaca-samples/" + name + ".json")) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
