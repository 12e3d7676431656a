package com.portfoliostream.events.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.portfoliostream.events.json.WireJson;
import com.portfoliostream.events.model.Channel;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a client's text frame into a {@link ClientMessage}, or names exactly what is wrong with
 * it. Only known fields are read; anything else in the object is ignored, never forwarded.
 */
public final class ClientMessageParser {

  /** More entries than this in {@code channels} is refused (there are only four channels). */
  public static final int MAX_CHANNEL_ENTRIES = 8;
  /** More entries than this in {@code symbols} is refused. */
  public static final int MAX_SYMBOL_ENTRIES = 500;
  /** Equities (AAPL, BRK.B), and crypto pairs (BTC/USD); upper-cased before matching. */
  private static final Pattern SYMBOL = Pattern.compile("[A-Z0-9][A-Z0-9./-]{0,19}");
  private static final List<String> TYPES = List.of("subscribe", "unsubscribe", "ping");

  private ClientMessageParser() {}

  public static ParseResult parse(String text) {
    JsonNode root;
    try {
      root = WireJson.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      return invalid("Message is not valid JSON", Map.of("reason", String.valueOf(e.getOriginalMessage())));
    }
    if (root == null || !root.isObject()) {
      return invalid("Message must be a JSON object", Map.of("received", kind(root)));
    }
    JsonNode type = root.get("type");
    if (type == null || !type.isTextual()) {
      return invalid("Message has no type", Map.of("field", "type", "allowed", TYPES));
    }
    return switch (type.asText()) {
      case "ping" -> new ParseResult.Accepted(new ClientMessage.Ping());
      case "subscribe", "unsubscribe" -> parseSubscription(type.asText(), root);
      default -> invalid("Unknown message type",
          Map.of("field", "type", "type", type.asText(), "allowed", TYPES));
    };
  }

  private static ParseResult parseSubscription(String type, JsonNode root) {
    JsonNode channelsNode = root.get("channels");
    Optional<ParseResult> shapeError = checkArray("channels", channelsNode, MAX_CHANNEL_ENTRIES);
    if (shapeError.isPresent()) {
      return shapeError.get();
    }
    Set<Channel> channels = EnumSet.noneOf(Channel.class);
    for (JsonNode entry : channelsNode) {
      Optional<Channel> channel = entry.isTextual() ? Channel.fromWire(entry.asText()) : Optional.empty();
      if (channel.isEmpty()) {
        return failed("Invalid channel name",
            Map.of("channel", entry.isTextual() ? entry.asText() : entry.toString(),
                "allowed", Channel.wireNames()));
      }
      channels.add(channel.get());
    }
    JsonNode symbolsNode = root.get("symbols");
    if (symbolsNode == null || symbolsNode.isNull()) {
      return accepted(type, channels, Optional.empty());
    }
    Optional<ParseResult> symbolError = checkArray("symbols", symbolsNode, MAX_SYMBOL_ENTRIES);
    if (symbolError.isPresent()) {
      return symbolError.get();
    }
    Set<String> symbols = new LinkedHashSet<>();
    for (JsonNode entry : symbolsNode) {
      String symbol = entry.isTextual() ? entry.asText().toUpperCase(Locale.ROOT) : "";
      if (!SYMBOL.matcher(symbol).matches()) {
        return failed("Invalid symbol", Map.of("symbol", entry.isTextual() ? entry.asText() : entry.toString()));
      }
      symbols.add(symbol);
    }
    return accepted(type, channels, Optional.of(symbols));
  }

  private static ParseResult accepted(String type, Set<Channel> channels, Optional<Set<String>> symbols) {
    ClientMessage message = type.equals("subscribe")
        ? new ClientMessage.Subscribe(channels, symbols)
        : new ClientMessage.Unsubscribe(channels, symbols);
    return new ParseResult.Accepted(message);
  }

  /** A present, non-empty array of at most {@code max} entries. */
  private static Optional<ParseResult> checkArray(String field, JsonNode node, int max) {
    if (node == null || node.isNull()) {
      return Optional.of(invalid("Missing required field " + field,
          Map.of("field", field, "expected", "array")));
    }
    if (!node.isArray()) {
      return Optional.of(invalid(field + " must be an array",
          Map.of("field", field, "expected", "array", "received", kind(node))));
    }
    if (node.isEmpty()) {
      return Optional.of(invalid(field + " must not be empty", Map.of("field", field)));
    }
    if (node.size() > max) {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("field", field);
      details.put("max", max);
      details.put("received", node.size());
      return Optional.of(invalid(field + " has too many entries", details));
    }
    return Optional.empty();
  }

  private static String kind(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    return node.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  private static ParseResult invalid(String message, Map<String, Object> details) {
    return new ParseResult.Rejected(new ProtocolError(ErrorCode.INVALID_MESSAGE, message, details));
  }

  private static ParseResult failed(String message, Map<String, Object> details) {
    return new ParseResult.Rejected(new ProtocolError(ErrorCode.SUBSCRIPTION_FAILED, message, details));
  }
}
