package com.portfoliostream.simulator.rest;

import com.portfoliostream.events.model.Decimals;
import com.portfoliostream.events.model.Decimals.BadDecimal;
import com.portfoliostream.simulator.alpaca.AlpacaError;
import com.portfoliostream.simulator.market.TradeEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The fields of one control request body (or of one object nested in it, named with
 * {@code prefix}, such as {@code holdings[0].}). A missing or bad field is a 400 that names it
 * and says what it accepts, never repeating the value.
 */
record ControlFields(JsonObject json, String prefix) {

  private static final Pattern SYMBOL = Pattern.compile("[A-Z0-9][A-Z0-9./-]{0,19}");

  /** The body of a control call; an empty body has no fields. */
  static ControlFields of(Buffer body) {
    if (body == null || body.length() == 0) {
      return new ControlFields(new JsonObject(), "");
    }
    JsonObject json = JsonBodies.object(body);
    if (json == null) {
      throw AlpacaError.badControlField("request body must be a JSON object").exception();
    }
    return new ControlFields(json, "");
  }

  String text(String field) {
    Object value = json.getValue(field);
    if (!(value instanceof String text) || text.isBlank()) {
      throw bad(field, "is required, a non-empty string");
    }
    return text;
  }

  String symbol(String field) {
    String symbol = text(field).toUpperCase(Locale.ROOT);
    if (!SYMBOL.matcher(symbol).matches()) {
      throw bad(field, "must be a ticker symbol: 1-20 letters, digits, '.', '/' or '-'");
    }
    return symbol;
  }

  /** A string or exact JSON number through {@link Decimals}. */
  BigDecimal decimal(String field, Decimals.Sign sign) {
    Object value = json.getValue(field);
    if (value == null) {
      throw bad(field, "is required, " + Decimals.form(sign).substring("must be ".length()));
    }
    try {
      return Decimals.parse(value, sign);
    } catch (BadDecimal e) {
      throw bad(field, e.getMessage());
    }
  }

  boolean flag(String field) {
    if (!(json.getValue(field) instanceof Boolean flag)) {
      throw bad(field, "is required, true or false");
    }
    return flag;
  }

  /** "long" (the default) or "short". */
  String side(String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return "long";
    }
    if (!"long".equals(value) && !"short".equals(value)) {
      throw bad(field, "must be long or short");
    }
    return (String) value;
  }

  /** stopped, suspended or calculated: the exchange's own events. */
  String exchangeEvent(String field) {
    Object value = json.getValue(field);
    for (TradeEvent event : TradeEvent.values()) {
      if (event.isExchangeEvent() && event.name().toLowerCase(Locale.ROOT).equals(value)) {
        return (String) value;
      }
    }
    throw bad(field, "must be stopped, suspended or calculated");
  }

  /** An optional array; absent is empty. */
  JsonArray array(String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return new JsonArray();
    }
    if (!(value instanceof JsonArray array)) {
      throw bad(field, "must be an array");
    }
    return array;
  }

  private RuntimeException bad(String field, String problem) {
    return AlpacaError.badControlField(prefix + field + " " + problem).exception();
  }
}
