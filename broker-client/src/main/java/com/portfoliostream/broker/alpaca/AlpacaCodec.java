package com.portfoliostream.broker.alpaca;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.portfoliostream.events.json.WireJson;
import com.portfoliostream.events.model.Decimals;
import com.portfoliostream.events.model.Decimals.BadDecimal;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The Alpaca streaming wire protocol, both ways, built against Alpaca's documented messages:
 * the trading stream (authenticate, listen, authorization, listening, trade_updates) and the
 * market-data stream (auth, subscribe, unsubscribe; success, error, subscription, t, q, b, d, u,
 * s). Numbers are read as exact decimals, never through {@code double}.
 */
public final class AlpacaCodec {

  private static final JsonMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .build();

  /** How much of a broker's text an error message repeats. */
  private static final int SHOWN_CHARS = 64;

  private AlpacaCodec() {}

  // ---- trading stream: client → server

  public static String authenticate(String keyId, String secretKey) {
    ObjectNode data = MAPPER.createObjectNode().put("key_id", keyId).put("secret_key", secretKey);
    return MAPPER.createObjectNode().put("action", "authenticate").<ObjectNode>set("data", data).toString();
  }

  public static String listenTradeUpdates() {
    ObjectNode data = MAPPER.createObjectNode();
    data.putArray("streams").add("trade_updates");
    return MAPPER.createObjectNode().put("action", "listen").<ObjectNode>set("data", data).toString();
  }

  // ---- trading stream: server → client

  /** One trading-stream message (Alpaca sends them as JSON in binary or text frames). */
  public static TradingStreamMessage parseTradingStream(String json) {
    JsonNode root = read(json);
    String stream = text(root, "stream");
    JsonNode data = object(root, "data");
    return switch (stream) {
      case "authorization" -> new TradingStreamMessage.Authorization(text(data, "status"), text(data, "action"));
      case "listening" -> new TradingStreamMessage.Listening(strings(data.get("streams")));
      case "trade_updates" -> tradeUpdate(data);
      default -> throw new AlpacaProtocolException("unknown trading stream '" + shown(stream) + "'");
    };
  }

  /** A trade update object: the {@code data} of a trade_updates message (or of the Broker API's events). */
  public static TradingStreamMessage.TradeUpdate tradeUpdate(JsonNode data) {
    return new TradingStreamMessage.TradeUpdate(text(data, "event"), optionalText(data, "execution_id"),
        order(object(data, "order")), decimal(data, "price"), decimal(data, "qty"), decimal(data, "position_qty"),
        instant(data, "timestamp") != null ? instant(data, "timestamp") : instant(data, "at"));
  }

  /** The REST order object (also nested in trade updates). */
  public static AlpacaOrder order(JsonNode o) {
    return new AlpacaOrder(text(o, "id"), text(o, "client_order_id"), text(o, "symbol"), text(o, "side"),
        optionalText(o, "type") != null ? text(o, "type") : text(o, "order_type"), optionalText(o, "time_in_force"),
        text(o, "status"), decimal(o, "qty"), decimal(o, "filled_qty"), decimal(o, "filled_avg_price"),
        decimal(o, "limit_price"), decimal(o, "stop_price"), instant(o, "submitted_at"), instant(o, "filled_at"),
        instant(o, "canceled_at"), instant(o, "updated_at"));
  }

  public static AlpacaOrder parseOrder(String json) {
    return order(read(json));
  }

  // ---- REST: bodies we send

  public static String orderRequest(OrderRequest request) {
    ObjectNode node = MAPPER.createObjectNode()
        .put("symbol", request.symbol())
        .put("qty", request.qty().toPlainString())
        .put("side", request.side())
        .put("type", request.type())
        .put("time_in_force", request.timeInForce())
        .put("client_order_id", request.clientOrderId());
    if (request.limitPrice() != null) {
      node.put("limit_price", request.limitPrice().toPlainString());
    }
    if (request.stopPrice() != null) {
      node.put("stop_price", request.stopPrice().toPlainString());
    }
    return node.toString();
  }

  // ---- REST: bodies we receive

  public static AlpacaAccount parseAccount(String json) {
    JsonNode a = read(json);
    return new AlpacaAccount(text(a, "id"), optionalText(a, "account_number"), text(a, "status"),
        optionalText(a, "currency"), required(a, "cash"), required(a, "equity"), required(a, "last_equity"),
        required(a, "buying_power"), decimal(a, "portfolio_value"), decimal(a, "long_market_value"),
        decimal(a, "short_market_value"));
  }

  public static List<AlpacaPosition> parsePositions(String json) {
    return array(read(json)).stream().map(AlpacaCodec::position).toList();
  }

  public static AlpacaPosition position(JsonNode p) {
    return new AlpacaPosition(text(p, "symbol"), required(p, "qty"), text(p, "side"), required(p, "avg_entry_price"),
        decimal(p, "current_price"), decimal(p, "lastday_price"), decimal(p, "market_value"),
        decimal(p, "unrealized_pl"));
  }

  public static List<AlpacaOrder> parseOrders(String json) {
    return array(read(json)).stream().map(AlpacaCodec::order).toList();
  }

  public static List<FillActivity> parseFillActivities(String json) {
    return array(read(json)).stream().map(AlpacaCodec::fillActivity).toList();
  }

  public static FillActivity fillActivity(JsonNode f) {
    return new FillActivity(text(f, "id"), text(f, "order_id"), text(f, "symbol"), text(f, "side"),
        optionalText(f, "type"), required(f, "qty"), required(f, "price"), decimal(f, "cum_qty"),
        decimal(f, "leaves_qty"), optionalText(f, "order_status"), instant(f, "transaction_time"));
  }

  public static MarketClock parseClock(String json) {
    JsonNode c = read(json);
    JsonNode open = c.get("is_open");
    if (open == null || !open.isBoolean()) {
      throw new AlpacaProtocolException("'is_open' must be a boolean");
    }
    return new MarketClock(instant(c, "timestamp"), open.booleanValue(), instant(c, "next_open"),
        instant(c, "next_close"));
  }

  /** Alpaca's error body {@code {"code": 40010001, "message": "..."}}; null when the body is not one. */
  public static ErrorBody parseError(String json) {
    try {
      JsonNode e = MAPPER.readTree(json);
      if (e == null || !e.isObject()) {
        return null;
      }
      JsonNode code = e.get("code");
      return new ErrorBody(code != null && code.canConvertToLong() ? code.asLong() : null, optionalText(e, "message"));
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** An Alpaca REST error body. */
  public record ErrorBody(Long code, String message) {}

  // ---- market data: client → server

  public static String marketDataAuth(String key, String secret) {
    return MAPPER.createObjectNode().put("action", "auth").put("key", key).put("secret", secret).toString();
  }

  public static String subscribe(List<String> trades, List<String> quotes, List<String> bars) {
    return subscription("subscribe", trades, quotes, bars);
  }

  public static String unsubscribe(List<String> trades, List<String> quotes, List<String> bars) {
    return subscription("unsubscribe", trades, quotes, bars);
  }

  private static String subscription(String action, List<String> trades, List<String> quotes, List<String> bars) {
    ObjectNode node = MAPPER.createObjectNode().put("action", action);
    trades.forEach(node.putArray("trades")::add);
    quotes.forEach(node.putArray("quotes")::add);
    bars.forEach(node.putArray("bars")::add);
    return node.toString();
  }

  // ---- market data: server → client

  /** One market-data frame: an array of messages (a single object is read as a frame of one). */
  public static List<MarketDataMessage> parseMarketData(String json) {
    JsonNode root = read(json);
    List<MarketDataMessage> messages = new ArrayList<>();
    if (root instanceof ArrayNode array) {
      array.forEach(element -> messages.add(marketData(element)));
    } else {
      messages.add(marketData(root));
    }
    return messages;
  }

  private static MarketDataMessage marketData(JsonNode m) {
    String type = text(m, "T");
    return switch (type) {
      case "success" -> new MarketDataMessage.Success(text(m, "msg"));
      case "error" -> new MarketDataMessage.Error(m.path("code").asInt(), text(m, "msg"));
      case "subscription" -> new MarketDataMessage.Subscription(strings(m.get("trades")), strings(m.get("quotes")),
          strings(m.get("bars")));
      case "t" -> new MarketDataMessage.TradeTick(text(m, "S"), decimal(m, "p"), decimal(m, "s"), instant(m, "t"));
      case "q" -> new MarketDataMessage.Quote(text(m, "S"), decimal(m, "bp"), decimal(m, "bs"), decimal(m, "ap"),
          decimal(m, "as"), instant(m, "t"));
      case "b", "d", "u" -> new MarketDataMessage.Bar(type, text(m, "S"), decimal(m, "o"), decimal(m, "h"),
          decimal(m, "l"), decimal(m, "c"), decimal(m, "v"), instant(m, "t"));
      case "s" -> new MarketDataMessage.TradingStatus(text(m, "S"), text(m, "sc"), optionalText(m, "sm"),
          optionalText(m, "rc"), optionalText(m, "rm"), instant(m, "t"));
      default -> throw new AlpacaProtocolException("unknown market data message type '" + shown(type) + "'");
    };
  }

  // ---- helpers

  private static JsonNode read(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new AlpacaProtocolException("not JSON: " + shown(e.getOriginalMessage()));
    }
  }

  private static List<JsonNode> array(JsonNode node) {
    if (!(node instanceof ArrayNode array)) {
      throw new AlpacaProtocolException("expected a JSON array");
    }
    List<JsonNode> elements = new ArrayList<>();
    array.forEach(elements::add);
    return elements;
  }

  private static BigDecimal required(JsonNode node, String field) {
    BigDecimal value = decimal(node, field);
    if (value == null) {
      throw new AlpacaProtocolException("missing '" + field + "'");
    }
    return value;
  }

  private static JsonNode object(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isObject()) {
      throw new AlpacaProtocolException("'" + field + "' must be an object");
    }
    return value;
  }

  private static String text(JsonNode node, String field) {
    String value = optionalText(node, field);
    if (value == null) {
      throw new AlpacaProtocolException("missing '" + field + "'");
    }
    return value;
  }

  private static String optionalText(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  /**
   * Decimal strings ("105.8988475") and JSON numbers (126.55) alike, exactly and within
   * {@link Decimals}' bounds; any sign (cash, P&amp;L and a short's quantity are negative). A value out
   * of bounds makes the whole message a protocol error that does not repeat the value.
   */
  private static BigDecimal decimal(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull() || (value.isTextual() && value.asText().isEmpty())) {
      return null;
    }
    if (!value.isNumber() && !value.isTextual()) {
      throw new AlpacaProtocolException("'" + field + "' must be a decimal string or number");
    }
    try {
      return Decimals.parse(value.isNumber() ? value.numberValue() : value.textValue(), Decimals.Sign.ANY);
    } catch (BadDecimal e) {
      throw new AlpacaProtocolException("'" + field + "' " + e.getMessage());
    }
  }

  private static Instant instant(JsonNode node, String field) {
    String value = optionalText(node, field);
    return value == null ? null : WireJson.parseInstant(value);
  }

  /** Broker text in a log line, cut short: a hostile frame may be a megabyte. */
  private static String shown(String text) {
    return text == null || text.length() <= SHOWN_CHARS ? text : text.substring(0, SHOWN_CHARS) + "...";
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    if (array != null) {
      array.forEach(v -> values.add(v.asText()));
    }
    return values;
  }
}
