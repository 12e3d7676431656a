package com.portfoliostream.stream.orders;

import com.portfoliostream.events.model.Decimals;
import com.portfoliostream.events.model.Decimals.BadDecimal;
import com.portfoliostream.events.model.OrderSide;
import com.portfoliostream.events.model.OrderType;
import com.portfoliostream.events.model.TimeInForce;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the body of {@code POST /api/orders} into a {@link NewOrder}, or says what is wrong with
 * each bad field. Only the documented fields are read; any other field is refused, so a typo such
 * as {@code limit_price} is an error instead of a limit order without its limit.
 */
public final class OrderForm {

  /** Fields of the body; the others are refused. */
  static final Set<String> FIELDS = Set.of("symbol", "side", "type", "qty", "limitPrice", "stopPrice",
      "timeInForce", "strategyId");
  /** The types and times in force a trader may ask for here (Alpaca has more; we do not offer them). */
  static final List<OrderType> TYPES = List.of(OrderType.MARKET, OrderType.LIMIT, OrderType.STOP, OrderType.STOP_LIMIT);
  static final List<TimeInForce> TIMES_IN_FORCE = List.of(TimeInForce.DAY, TimeInForce.GTC, TimeInForce.IOC,
      TimeInForce.FOK);

  private static final Pattern SYMBOL = Pattern.compile("[A-Z0-9][A-Z0-9./-]{0,19}");
  private static final Pattern STRATEGY = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

  /** Either the order or, by field name, what is wrong with it. */
  public record Result(Optional<NewOrder> order, Map<String, Object> problems) {}

  private OrderForm() {}

  public static Result read(JsonObject body) {
    Map<String, Object> problems = new LinkedHashMap<>();
    body.fieldNames().stream().filter(f -> !FIELDS.contains(f)).sorted()
        .forEach(f -> problems.put(f, "unknown field; the fields are " + String.join(", ", FIELDS.stream().sorted().toList())));
    String symbol = text(body, "symbol", problems);
    if (symbol != null) {
      // Upper-cased for convenience, never trimmed: " AAPL" and "AAPL\u0000" are not symbols.
      symbol = symbol.toUpperCase(Locale.ROOT);
      if (!SYMBOL.matcher(symbol).matches()) {
        problems.put("symbol", "must be a ticker symbol: 1-20 letters, digits, '.', '/' or '-', such as AAPL or BRK.B");
      }
    }
    OrderSide side = choice(body, "side", Arrays.asList(OrderSide.values()), OrderSide::wire, problems);
    OrderType type = choice(body, "type", TYPES, OrderType::wire, problems);
    TimeInForce timeInForce = choice(body, "timeInForce", TIMES_IN_FORCE, TimeInForce::wire, problems);
    BigDecimal qty = positiveDecimal(body, "qty", true, problems);
    BigDecimal limitPrice = positiveDecimal(body, "limitPrice", false, problems);
    BigDecimal stopPrice = positiveDecimal(body, "stopPrice", false, problems);
    if (type != null) {
      requiredByType("limitPrice", limitPrice, type.needsLimitPrice(), type, problems);
      requiredByType("stopPrice", stopPrice, type.needsStopPrice(), type, problems);
    }
    String strategyId = text(body, "strategyId", problems, false);
    if (strategyId != null && !STRATEGY.matcher(strategyId).matches()) {
      problems.put("strategyId", "must be 1-64 letters, digits, '_', '.', ':' or '-'");
    }
    if (!problems.isEmpty()) {
      return new Result(Optional.empty(), problems);
    }
    return new Result(Optional.of(new NewOrder(symbol, side, type, qty, limitPrice, stopPrice, timeInForce, strategyId)),
        Map.of());
  }

  private static String text(JsonObject body, String field, Map<String, Object> problems) {
    return text(body, field, problems, true);
  }

  private static String text(JsonObject body, String field, Map<String, Object> problems, boolean required) {
    Object value = body.getValue(field);
    if (value == null) {
      if (required) {
        problems.put(field, "is required");
      }
      return null;
    }
    if (!(value instanceof String text) || text.isBlank()) {
      problems.put(field, "must be a non-empty string");
      return null;
    }
    return text;
  }

  private static <E> E choice(JsonObject body, String field, List<E> allowed,
      java.util.function.Function<E, String> wire, Map<String, Object> problems) {
    String name = text(body, field, problems);
    if (name == null) {
      return null;
    }
    Optional<E> match = allowed.stream().filter(e -> wire.apply(e).equals(name)).findFirst();
    if (match.isEmpty()) {
      problems.put(field, "must be one of " + String.join(", ", allowed.stream().map(wire).toList()));
    }
    return match.orElse(null);
  }

  /**
   * A positive decimal string ("10", "0.5", "187.25") read by {@link Decimals}. A JSON integer is
   * accepted too; a JSON fraction is not, since a binary floating-point number cannot carry an exact price.
   */
  private static BigDecimal positiveDecimal(JsonObject body, String field, boolean required, Map<String, Object> problems) {
    Object value = body.getValue(field);
    if (value == null) {
      if (required) {
        problems.put(field, "is required");
      }
      return null;
    }
    try {
      return Decimals.parse(value, Decimals.Sign.POSITIVE);
    } catch (BadDecimal e) {
      problems.put(field, e.getMessage());
      return null;
    }
  }

  private static void requiredByType(String field, BigDecimal price, boolean needed, OrderType type,
      Map<String, Object> problems) {
    if (needed && price == null && !problems.containsKey(field)) {
      problems.put(field, "is required for a " + type.wire() + " order");
    } else if (!needed && price != null) {
      problems.put(field, "is not allowed for a " + type.wire() + " order");
    }
  }
}
