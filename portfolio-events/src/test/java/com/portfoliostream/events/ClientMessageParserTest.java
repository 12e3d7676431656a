package com.portfoliostream.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.events.model.Channel;
import com.portfoliostream.events.protocol.ClientMessage;
import com.portfoliostream.events.protocol.ClientMessageParser;
import com.portfoliostream.events.protocol.ErrorCode;
import com.portfoliostream.events.protocol.ParseResult;
import com.portfoliostream.events.protocol.ProtocolError;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("The client message parser")
class ClientMessageParserTest {

  @ParameterizedTest(name = "refuses {0} as INVALID_MESSAGE naming \"{2}\"")
  @CsvSource(delimiter = '|', value = {
      "bad JSON                 | {\"type\": \"subscribe\",                | reason",
      "a JSON array             | [\"subscribe\"]                          | received",
      "a bare string            | \"ping\"                                 | received",
      "trailing garbage         | {\"type\":\"ping\"} {}                   | reason",
      "no type                  | {\"channels\": [\"positions\"]}          | field",
      "a numeric type           | {\"type\": 7}                            | field",
      "an unknown type          | {\"type\": \"subscribe_all\"}            | type",
      "no channels              | {\"type\": \"subscribe\"}                | field",
      "channels not an array    | {\"type\": \"subscribe\", \"channels\": \"positions\"} | expected",
      "empty channels           | {\"type\": \"unsubscribe\", \"channels\": []} | field",
      "symbols not an array     | {\"type\": \"subscribe\", \"channels\": [\"positions\"], \"symbols\": \"AAPL\"} | expected",
  })
  void refusesMalformedMessages(String label, String json, String detailKey) {
    ProtocolError error = rejected(json);

    assertThat(error.code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
    assertThat(error.message()).isNotBlank();
    assertThat(error.details()).containsKey(detailKey);
  }

  @Test
  @DisplayName("names the unknown type and the allowed ones")
  void namesUnknownType() {
    ProtocolError error = rejected("{\"type\": \"subscribe_all\"}");

    assertThat(error.details()).containsEntry("type", "subscribe_all")
        .containsEntry("allowed", java.util.List.of("subscribe", "unsubscribe", "ping"));
  }

  @Test
  @DisplayName("refuses an unknown channel as SUBSCRIPTION_FAILED naming the channel")
  void refusesUnknownChannel() {
    ProtocolError error = rejected("{\"type\":\"subscribe\",\"channels\":[\"positions\",\"invalid_channel\"]}");

    assertThat(error.code()).isEqualTo(ErrorCode.SUBSCRIPTION_FAILED);
    assertThat(error.message()).isEqualTo("Invalid channel name");
    assertThat(error.details()).containsEntry("channel", "invalid_channel");
  }

  @Test
  @DisplayName("refuses a channel that is not a string, showing what it was")
  void refusesNonStringChannel() {
    ProtocolError error = rejected("{\"type\":\"subscribe\",\"channels\":[{\"name\":\"orders\"}]}");

    assertThat(error.code()).isEqualTo(ErrorCode.SUBSCRIPTION_FAILED);
    assertThat(error.details()).containsEntry("channel", "{\"name\":\"orders\"}");
  }

  @Test
  @DisplayName("refuses an oversized channel list with its size and the bound")
  void refusesOversizedChannels() {
    String channels = IntStream.range(0, ClientMessageParser.MAX_CHANNEL_ENTRIES + 1)
        .mapToObj(i -> "\"positions\"").collect(Collectors.joining(","));
    ProtocolError error = rejected("{\"type\":\"subscribe\",\"channels\":[" + channels + "]}");

    assertThat(error.code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
    assertThat(error.details()).containsEntry("field", "channels")
        .containsEntry("max", ClientMessageParser.MAX_CHANNEL_ENTRIES)
        .containsEntry("received", ClientMessageParser.MAX_CHANNEL_ENTRIES + 1);
  }

  @Test
  @DisplayName("refuses an oversized symbol list")
  void refusesOversizedSymbols() {
    String symbols = IntStream.range(0, ClientMessageParser.MAX_SYMBOL_ENTRIES + 1)
        .mapToObj(i -> "\"S" + i + "\"").collect(Collectors.joining(","));
    ProtocolError error = rejected(
        "{\"type\":\"subscribe\",\"channels\":[\"positions\"],\"symbols\":[" + symbols + "]}");

    assertThat(error.code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
    assertThat(error.details()).containsEntry("field", "symbols");
  }

  @Test
  @DisplayName("refuses a malformed symbol as SUBSCRIPTION_FAILED naming it")
  void refusesBadSymbol() {
    ProtocolError error = rejected(
        "{\"type\":\"subscribe\",\"channels\":[\"positions\"],\"symbols\":[\"AAPL\",\"DROP TABLE\"]}");

    assertThat(error.code()).isEqualTo(ErrorCode.SUBSCRIPTION_FAILED);
    assertThat(error.details()).containsEntry("symbol", "DROP TABLE");
  }

  @Test
  @DisplayName("refuses a symbol with a control character or a space instead of trimming it")
  void refusesPaddedSymbol() {
    assertThat(rejected("{\"type\":\"subscribe\",\"channels\":[\"positions\"],\"symbols\":[\"AAPL\\u0000\"]}").code())
        .isEqualTo(ErrorCode.SUBSCRIPTION_FAILED);
    assertThat(rejected("{\"type\":\"subscribe\",\"channels\":[\"positions\"],\"symbols\":[\" AAPL\"]}").code())
        .isEqualTo(ErrorCode.SUBSCRIPTION_FAILED);
  }

  @Test
  @DisplayName("accepts symbols, upper-cased, and ignores unknown fields")
  void acceptsSymbolsAndIgnoresExtras() {
    ParseResult result = ClientMessageParser.parse(
        "{\"type\":\"subscribe\",\"channels\":[\"positions\",\"positions\"],\"symbols\":[\"aapl\",\"BRK.B\",\"BTC/USD\"],"
            + "\"userId\":\"someone-else\"}");

    assertThat(result).isEqualTo(new ParseResult.Accepted(new ClientMessage.Subscribe(
        Set.of(Channel.POSITIONS), Optional.of(Set.of("AAPL", "BRK.B", "BTC/USD")))));
  }

  private static ProtocolError rejected(String json) {
    ParseResult result = ClientMessageParser.parse(json);
    assertThat(result).as(json).isInstanceOf(ParseResult.Rejected.class);
    return ((ParseResult.Rejected) result).error();
  }
}
