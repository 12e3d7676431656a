package com.portfoliostream.events.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The one JSON mapping of the wire: money and quantities as decimal strings (never binary
 * floating point), instants as ISO-8601 UTC with milliseconds, absent values left out.
 */
public final class WireJson {

  /** {@code 2026-01-04T15:30:45.123Z}: always three fraction digits, always UTC. */
  public static final DateTimeFormatter INSTANT_FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(wireModule())
      .serializationInclusion(JsonInclude.Include.NON_NULL)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private WireJson() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@link #INSTANT_FORMAT}, written by hand for the years 0000-9999 (every event carries one or
   * more instants, and the formatter was a tenth of an edge's time under load); others through it.
   */
  public static String formatInstant(Instant instant) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
    if (t.getYear() < 0 || t.getYear() > 9999) {
      return INSTANT_FORMAT.format(instant);
    }
    char[] out = "0000-00-00T00:00:00.000Z".toCharArray();
    digits(out, 0, 4, t.getYear());
    digits(out, 5, 2, t.getMonthValue());
    digits(out, 8, 2, t.getDayOfMonth());
    digits(out, 11, 2, t.getHour());
    digits(out, 14, 2, t.getMinute());
    digits(out, 17, 2, t.getSecond());
    digits(out, 20, 3, t.getNano() / 1_000_000);
    return new String(out);
  }

  private static void digits(char[] out, int at, int width, int value) {
    for (int i = at + width - 1; i >= at; i--) {
      out[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  /** Accepts any ISO-8601 instant with an offset ({@code Z}, {@code +02:00}), any precision. */
  public static Instant parseInstant(String text) {
    Instant ours = parseOurFormat(text);
    if (ours != null) {
      return ours;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      return Instant.parse(text);
    }
  }

  /**
   * The instant of text in exactly {@link #INSTANT_FORMAT} (what every node writes), read by hand;
   * null for any other shape, which the general parsers then read. A date or time out of range
   * fails as the parsers would.
   */
  private static Instant parseOurFormat(String text) {
    if (text.length() != 24 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
        || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(19) != '.' || text.charAt(23) != 'Z') {
      return null;
    }
    int year = number(text, 0, 4);
    int month = number(text, 5, 2);
    int day = number(text, 8, 2);
    int hour = number(text, 11, 2);
    int minute = number(text, 14, 2);
    int second = number(text, 17, 2);
    int millis = number(text, 20, 3);
    if ((year | month | day | hour | minute | second | millis) < 0) {
      return null;
    }
    try {
      long epochSecond = LocalDateTime.of(year, month, day, hour, minute, second).toEpochSecond(ZoneOffset.UTC);
      return Instant.ofEpochSecond(epochSecond, millis * 1_000_000L);
    } catch (DateTimeException e) {
      throw new DateTimeParseException(e.getMessage(), text, 0, e);
    }
  }

  /** The decimal number of text's {@code width} characters at {@code at}, or -1 when one is not a digit. */
  private static int number(String text, int at, int width) {
    int value = 0;
    for (int i = at; i < at + width; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static SimpleModule wireModule() {
    SimpleModule module = new SimpleModule("wire");
    module.addSerializer(BigDecimal.class, new JsonSerializer<>() {
      @Override
      public void serialize(BigDecimal value, JsonGenerator gen, SerializerProvider p) throws IOException {
        gen.writeString(value.toPlainString());
      }
    });
    module.addDeserializer(BigDecimal.class, new JsonDeserializer<>() {
      @Override
      public BigDecimal deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
        return decimal(p, ctx);
      }
    });
    module.addSerializer(Instant.class, new JsonSerializer<>() {
      @Override
      public void serialize(Instant value, JsonGenerator gen, SerializerProvider p) throws IOException {
        gen.writeString(formatInstant(value));
      }
    });
    module.addDeserializer(Instant.class, new JsonDeserializer<>() {
      @Override
      public Instant deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
        try {
          return parseInstant(p.getValueAsString());
        } catch (DateTimeParseException e) {
          return (Instant) ctx.handleWeirdStringValue(Instant.class, p.getText(), "not an ISO-8601 instant");
        }
      }
    });
    return module;
  }

  /** A decimal from a JSON string ("175.50") or, leniently, an exact JSON number literal. */
  private static BigDecimal decimal(JsonParser p, DeserializationContext ctx) throws IOException {
    JsonToken token = p.currentToken();
    if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
      return p.getDecimalValue();
    }
    String text = p.getValueAsString();
    try {
      return new BigDecimal(text.trim());
    } catch (NumberFormatException | NullPointerException e) {
      return (BigDecimal) ctx.handleWeirdStringValue(BigDecimal.class, text, "not a decimal number");
    }
  }
}
