package com.portfoliostream.simulator.rest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.Map;

/**
 * Request bodies read with exact numbers: a JSON fraction becomes a {@code BigDecimal}, never a
 * {@code double} (Vert.x's own reader would make {@code 126.55} a double and {@code 1e999999999}
 * Infinity), so {@link com.portfoliostream.events.model.Decimals} sees the digits as written.
 */
final class JsonBodies {

  private static final JsonMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .build();

  private JsonBodies() {}

  /** The body as a JSON object, or null when it is not one. */
  @SuppressWarnings("unchecked")
  static JsonObject object(Buffer body) {
    try {
      Object value = MAPPER.readValue(body.getBytes(), Object.class);
      return value instanceof Map<?, ?> map ? new JsonObject((Map<String, Object>) map) : null;
    } catch (IOException e) {
      return null;
    }
  }
}
