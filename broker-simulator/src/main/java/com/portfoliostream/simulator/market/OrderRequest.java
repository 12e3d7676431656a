package com.portfoliostream.simulator.market;

import com.portfoliostream.events.model.Decimals;
import com.portfoliostream.events.model.Decimals.BadDecimal;
import com.portfoliostream.simulator.alpaca.AlpacaError;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Set;

/**
 * A validated {@code POST /v2/orders} body (or the fields of a {@code PATCH}). Quantities and
 * prices arrive as decimal strings (numbers are accepted too, as Alpaca does); anything wrong
 * is a 422 naming the field.
 */
public record OrderRequest(String symbol, BigDecimal qty, BigDecimal notional, String side, String type,
    String timeInForce, BigDecimal limitPrice, BigDecimal stopPrice, String clientOrderId, boolean extendedHours) {

  public static final int MAX_CLIENT_ORDER_ID_LENGTH = 128;
  private static final Set<String> SIDES = Set.of("buy", "sell");
  private static final Set<String> TYPES = Set.of("market", "limit", "stop", "stop_limit");
  private static final Set<String> TIMES_IN_FORCE = Set.of("day", "gtc", "ioc", "fok");

  public static OrderRequest parse(JsonObject body) {
    String symbol = text(body, "symbol");
    if (symbol == null) {
      throw AlpacaError.invalid("symbol is required").exception();
    }
    BigDecimal qty = decimal(body, "qty");
    BigDecimal notional = decimal(body, "notional");
    if ((qty == null) == (notional == null)) {
      throw AlpacaError.invalid(qty == null ? "qty or notional is required" : "only one of qty or notional is accepted")
          .exception();
    }
    String side = oneOf(body, "side", SIDES, null);
    String type = oneOf(body, "type", TYPES, null);
    String tif = oneOf(body, "time_in_force", TIMES_IN_FORCE, null);
    if (notional != null && !(type.equals("market") && tif.equals("day"))) {
      throw AlpacaError.invalid("notional orders must be market day orders").exception();
    }
    BigDecimal limit = requiredIf(body, "limit_price", type.equals("limit") || type.equals("stop_limit"));
    BigDecimal stop = requiredIf(body, "stop_price", type.equals("stop") || type.equals("stop_limit"));
    String clientOrderId = text(body, "client_order_id");
    if (clientOrderId != null && clientOrderId.length() > MAX_CLIENT_ORDER_ID_LENGTH) {
      throw AlpacaError.invalid("client_order_id must be at most " + MAX_CLIENT_ORDER_ID_LENGTH + " characters")
          .exception();
    }
    return new OrderRequest(symbol.toUpperCase(Locale.ROOT), qty, notional, side, type, tif, limit, stop,
        clientOrderId, Boolean.TRUE.equals(body.getValue("extended_hours")));
  }

  private static String oneOf(JsonObject body, String field, Set<String> allowed, String fallback) {
    String value = text(body, field);
    if (value == null && fallback != null) {
      return fallback;
    }
    if (value == null || !allowed.contains(value.toLowerCase(Locale.ROOT))) {
      throw AlpacaError.invalid(value == null ? field + " is required" : "invalid " + field).exception();
    }
    return value.toLowerCase(Locale.ROOT);
  }

  private static BigDecimal requiredIf(JsonObject body, String field, boolean required) {
    BigDecimal value = decimal(body, field);
    if (required && value == null) {
      throw AlpacaError.invalid(field + " is required").exception();
    }
    return required ? value : null;
  }

  static String text(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s)) {
      throw AlpacaError.invalid(field + " must be a string").exception();
    }
    return s.isBlank() ? null : s.trim();
  }

  /** A positive decimal from a string or an exact JSON number, through {@link Decimals}; null when absent. */
  static BigDecimal decimal(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    try {
      return Decimals.parse(value, Decimals.Sign.POSITIVE);
    } catch (BadDecimal e) {
      throw AlpacaError.invalid(field + " " + e.getMessage()).exception();
    }
  }
}
