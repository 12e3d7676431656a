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
import java.time.Instant;
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

  public static String formatInstant(Instant instant) {
    return INSTANT_FORMAT.format(instant);
  }

  /** Accepts any ISO-8601 instant with an offset ({@code Z}, {@code +02:00}), any precision. */
  public static Instant parseInstant(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      return Instant.parse(text);
    }
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
