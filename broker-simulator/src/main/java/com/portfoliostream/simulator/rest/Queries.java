package com.portfoliostream.simulator.rest;

import com.portfoliostream.simulator.alpaca.AlpacaError;
import com.portfoliostream.simulator.alpaca.AlpacaJson;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.Set;

/** Query parameters as Alpaca reads them; a bad one is a 422 naming it. */
final class Queries {

  private Queries() {}

  static String oneOf(RoutingContext ctx, String name, Set<String> allowed, String fallback) {
    String value = ctx.queryParams().get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    if (!allowed.contains(value)) {
      throw AlpacaError.invalid("invalid " + name).exception();
    }
    return value;
  }

  static int intInRange(RoutingContext ctx, String name, int fallback, int min, int max) {
    String value = ctx.queryParams().get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      int number = Integer.parseInt(value.trim());
      if (number >= min && number <= max) {
        return number;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw AlpacaError.invalid("invalid " + name).exception();
  }

  /** An RFC 3339 timestamp, or a date (midnight New York); null when absent. */
  static Instant instant(RoutingContext ctx, String name) {
    String value = ctx.queryParams().get(name);
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(AlpacaJson.NEW_YORK).toInstant()
          : OffsetDateTime.parse(value.trim()).toInstant();
    } catch (DateTimeParseException e) {
      throw AlpacaError.invalid("invalid " + name).exception();
    }
  }

  /** Strictly after {@code after} and strictly before {@code until}, either may be null. */
  static boolean within(Instant t, Instant after, Instant until) {
    return (after == null || t.isAfter(after)) && (until == null || t.isBefore(until));
  }

  /** Ascending or descending by the given key, per the {@code direction} parameter (default desc). */
  static <T> Comparator<T> direction(RoutingContext ctx, Comparator<T> ascending) {
    return oneOf(ctx, "direction", Set.of("asc", "desc"), "desc").equals("asc") ? ascending : ascending.reversed();
  }
}
