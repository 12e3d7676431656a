package com.portfoliostream.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.portfoliostream.events.json.ServerEventCodec;
import com.portfoliostream.events.json.WireJson;
import com.portfoliostream.events.model.Channel;
import com.portfoliostream.events.model.OrderStatus;
import com.portfoliostream.events.model.PortfolioFrame;
import com.portfoliostream.events.model.Position;
import com.portfoliostream.events.protocol.ClientMessage;
import com.portfoliostream.events.protocol.ClientMessageParser;
import com.portfoliostream.events.protocol.ErrorCode;
import com.portfoliostream.events.protocol.ErrorPayload;
import com.portfoliostream.events.protocol.EventType;
import com.portfoliostream.events.protocol.ParseResult;
import com.portfoliostream.events.protocol.ServerEvent;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("The API reference seed's examples")
class SeedExamplesRoundTripTest {

  static Stream<String> serverExamples() {
    return Stream.of("position_update", "order_update", "account_update", "trade_executed",
        "batch", "pong", "error");
  }

  @ParameterizedTest(name = "{0} parses into the model and writes back to an equal JSON tree")
  @MethodSource("serverExamples")
  void serverExampleRoundTrips(String type) throws IOException {
    String json = example("server-" + type);
    ServerEvent event = ServerEventCodec.decode(json);

    assertThat(event.type().wire()).isEqualTo(type);
    assertThat(event.data()).isInstanceOf(event.type().payloadType());
    JsonNode original = WireJson.mapper().readTree(json);
    assertThat(ServerEventCodec.toTree(event)).isEqualTo(original);
    assertThat(WireJson.mapper().readTree(ServerEventCodec.encode(event))).isEqualTo(original);
  }

  @ParameterizedTest(name = "{0} encoded once in two parts, numbered per socket, is exactly its encoding with that seq")
  @MethodSource("serverExamples")
  void numberedIsTheSameJson(String type) throws IOException {
    ServerEvent parsed = ServerEventCodec.decode(example("server-" + type));
    ServerEvent event = new ServerEvent(parsed.type(), parsed.timestamp(), parsed.userId(), null, parsed.data());

    ServerEventCodec.Numbered numbered = ServerEventCodec.numbered(event);
    for (long seq : new long[] {1, 42, Long.MAX_VALUE}) {
      assertThat(numbered.withSeq(seq)).isEqualTo(ServerEventCodec.encode(event.withSeq(seq)));
    }
  }

  @Test
  @DisplayName("money stays an exact decimal, written back with its scale")
  void moneyIsExactDecimal() throws IOException {
    ServerEvent event = ServerEventCodec.decode(example("server-position_update"));
    Position position = (Position) event.data();

    assertThat(position.unrealizedPnl()).isEqualTo(new BigDecimal("525.00"));
    assertThat(position.marketValue().scale()).isEqualTo(2);
    assertThat(ServerEventCodec.encode(event)).contains("\"unrealizedPnl\":\"525.00\"");
  }

  @Test
  @DisplayName("the batch example carries every channel's entities")
  void batchCarriesEveryChannel() throws IOException {
    PortfolioFrame frame = (PortfolioFrame) ServerEventCodec.decode(example("server-batch")).data();

    assertThat(frame.positions()).extracting(Position::symbol).containsExactly("AAPL", "TSLA");
    assertThat(frame.orders()).singleElement()
        .satisfies(o -> assertThat(o.status()).isEqualTo(OrderStatus.FILLED));
    assertThat(frame.account().buyingPower()).isEqualTo(new BigDecimal("354905.24"));
    assertThat(frame.entityCount()).isEqualTo(5);
  }

  @Test
  @DisplayName("the error example keeps its code and details")
  void errorKeepsDetails() throws IOException {
    ErrorPayload error = (ErrorPayload) ServerEventCodec.decode(example("server-error")).data();

    assertThat(error.code()).isEqualTo(ErrorCode.SUBSCRIPTION_FAILED);
    assertThat(error.details()).containsEntry("channel", "invalid_channel");
  }

  @Test
  @DisplayName("the client examples parse into subscribe, unsubscribe and ping")
  void clientExamplesParse() throws IOException {
    assertThat(accepted("client-subscribe")).isEqualTo(new ClientMessage.Subscribe(
        Set.of(Channel.POSITIONS, Channel.ORDERS, Channel.ACCOUNT, Channel.TRADES), Optional.empty()));
    assertThat(accepted("client-unsubscribe"))
        .isEqualTo(new ClientMessage.Unsubscribe(Set.of(Channel.ORDERS), Optional.empty()));
    assertThat(accepted("client-ping")).isEqualTo(new ClientMessage.Ping());
  }

  @Test
  @DisplayName("every event type names a payload and the entity types name their channel")
  void eventTypesAreComplete() {
    assertThat(EventType.POSITION_UPDATE.channel()).contains(Channel.POSITIONS);
    assertThat(EventType.TRADE_EXECUTED.channel()).contains(Channel.TRADES);
    assertThat(EventType.BATCH.channel()).isEmpty();
    assertThat(Stream.of(EventType.values()).map(EventType::wire)).containsExactly(
        "position_update", "order_update", "account_update", "trade_executed", "batch",
        "snapshot", "info", "pong", "error");
  }

  private static ClientMessage accepted(String name) throws IOException {
    ParseResult result = ClientMessageParser.parse(example(name));
    assertThat(result).isInstanceOf(ParseResult.Accepted.class);
    return ((ParseResult.Accepted) result).message();
  }

  /** The seed's text, with its {@code /* ... *}{@code /} placeholders removed. */
  static String example(String name) throws IOException {
    try (InputStream in = SeedExamplesRoundTripTest.class.getResourceAsStream(
        "/seed-examples/" + name + ".json")) {
      assertThat(in).as("example " + name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?s)/\\*.*?\\*/", "");
    }
  }
}
