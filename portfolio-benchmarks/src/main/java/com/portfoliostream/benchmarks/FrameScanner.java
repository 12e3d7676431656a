package com.portfoliostream.benchmarks;

import com.portfoliostream.events.json.WireJson;

/**
 * Reads what the scale benchmark needs from a server frame without parsing its JSON, so that one
 * driver can take a server's whole output on the cores it shares with it: the envelope's type and,
 * for every entity the frame carries, its kind and the time stamp the load put on it (the moment
 * it was published, {@link PortfolioLoad}). Our socket's frames and Socket.IO's
 * ({@code 42["type",{envelope}]}) read alike: both carry the envelope {type, timestamp, userId,
 * seq, data} with its keys in that order, and the entities as {@code ServerEventCodec} writes them,
 * each kind with a time field of its own name.
 */
final class FrameScanner {

  static final String POSITION_PRICE = "position_update (price)";
  static final String POSITION_FILL = "position_update (fill)";
  static final String ORDER = "order_update";
  static final String TRADE = "trade_executed";
  static final String ACCOUNT = "account_update (fill)";
  static final String SNAPSHOT = "snapshot";

  private static final String TYPE = "\"type\":\"";
  private static final String AS_OF = "\"asOf\":\"";
  private static final String UPDATED_AT = "\"updatedAt\":\"";
  private static final String EXECUTED_AT = "\"executedAt\":\"";
  private static final String TIMESTAMP = "\"timestamp\":\"";
  private static final String SYMBOL = "\"symbol\":\"";
  private static final String FILL_MARK = "\"strategyId\":\"" + PortfolioLoad.FILL_STRATEGY + "\"";
  private static final String DATA = "\"data\":{";
  private static final String ACCOUNT_FIELD = "\"account\":{";
  /** The length of {@code 2026-01-31T09:30:00.000Z}, the wire's one instant format. */
  private static final int INSTANT_LENGTH = 24;

  /** Takes one entity of a frame: its kind, and its publish time in epoch milliseconds. */
  interface Entities {
    void entity(String kind, long publishedAtMs);
  }

  private FrameScanner() {}

  /** The envelope's type, or null when the frame has none. */
  static String type(String frame) {
    int at = frame.indexOf(TYPE);
    if (at < 0) {
      return null;
    }
    int from = at + TYPE.length();
    int end = frame.indexOf('"', from);
    return end < 0 ? null : frame.substring(from, end);
  }

  /** Hands every entity of an event frame (typed or batch) to {@code sink}; other frames hold none. */
  static void entities(String frame, String type, Entities sink) {
    switch (type) {
      case "position_update" -> positions(frame, sink);
      case "batch" -> {
        positions(frame, sink);
        each(frame, UPDATED_AT, ORDER, sink);
        each(frame, EXECUTED_AT, TRADE, sink);
        account(frame, frame.indexOf(ACCOUNT_FIELD), sink);
      }
      case "order_update" -> each(frame, UPDATED_AT, ORDER, sink);
      case "trade_executed" -> each(frame, EXECUTED_AT, TRADE, sink);
      case "account_update" -> account(frame, frame.indexOf(DATA), sink);
      default -> {
        // snapshot, info, pong, error: no entity the load sent
      }
    }
  }

  /** A position's kind: the fill mark between its symbol (its first field) and its asOf. */
  private static void positions(String frame, Entities sink) {
    int fillAt = frame.indexOf(FILL_MARK);
    for (int at = frame.indexOf(AS_OF); at >= 0; at = frame.indexOf(AS_OF, at + 1)) {
      int start = frame.lastIndexOf(SYMBOL, at);
      if (fillAt >= 0 && fillAt < start) {
        fillAt = frame.indexOf(FILL_MARK, start);
      }
      boolean fill = fillAt > start && fillAt < at;
      sink.entity(fill ? POSITION_FILL : POSITION_PRICE, instantAt(frame, at + AS_OF.length()));
    }
  }

  private static void each(String frame, String field, String kind, Entities sink) {
    for (int at = frame.indexOf(field); at >= 0; at = frame.indexOf(field, at + 1)) {
      sink.entity(kind, instantAt(frame, at + field.length()));
    }
  }

  private static void account(String frame, int objectStart, Entities sink) {
    if (objectStart >= 0) {
      int at = frame.indexOf(TIMESTAMP, objectStart);
      if (at >= 0) {
        sink.entity(ACCOUNT, instantAt(frame, at + TIMESTAMP.length()));
      }
    }
  }

  /** Epoch milliseconds of the instant starting at {@code at}; the wire writes {@code yyyy-MM-ddTHH:mm:ss.SSSZ}. */
  static long instantAt(String text, int at) {
    if (at + INSTANT_LENGTH <= text.length() && text.charAt(at + 10) == 'T' && text.charAt(at + 19) == '.'
        && text.charAt(at + 23) == 'Z') {
      long days = epochDay(digits(text, at, 4), digits(text, at + 5, 2), digits(text, at + 8, 2));
      long seconds = days * 86_400 + digits(text, at + 11, 2) * 3_600L + digits(text, at + 14, 2) * 60L
          + digits(text, at + 17, 2);
      return seconds * 1000 + digits(text, at + 20, 3);
    }
    return WireJson.parseInstant(text.substring(at, text.indexOf('"', at))).toEpochMilli();
  }

  private static int digits(String text, int at, int count) {
    int value = 0;
    for (int i = at; i < at + count; i++) {
      value = value * 10 + (text.charAt(i) - '0');
    }
    return value;
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date, without allocating (H. Hinnant's days_from_civil). */
  private static long epochDay(int year, int month, int day) {
    int y = month <= 2 ? year - 1 : year;
    int era = Math.floorDiv(y, 400);
    int yearOfEra = y - era * 400;
    int dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146_097L + dayOfEra - 719_468;
  }
}
