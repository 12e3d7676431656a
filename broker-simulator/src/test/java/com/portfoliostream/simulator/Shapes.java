package com.portfoliostream.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/** Compares a JSON object with an Alpaca sample: every field of the sample, each of the same JSON type. */
final class Shapes {

  private Shapes() {}

  static void assertSameShape(JsonObject actual, JsonObject sample) {
    assertSameShape(actual, sample, Set.of());
  }

  /** As above; the listed fields need only be present (the samples disagree on their type). */
  static void assertSameShape(JsonObject actual, JsonObject sample, Set<String> anyType) {
    assertThat(actual.fieldNames()).containsAll(sample.fieldNames());
    for (String field : sample.fieldNames()) {
      Object expected = sample.getValue(field);
      Object value = actual.getValue(field);
      if (expected != null && value != null && !anyType.contains(field)) {
        assertThat(jsonType(value)).as("JSON type of %s", field).isEqualTo(jsonType(expected));
      }
    }
  }

  private static String jsonType(Object value) {
    return value instanceof Number ? "number" : value instanceof CharSequence ? "string"
        : value instanceof Boolean ? "boolean" : value instanceof JsonArray ? "array" : "object";
  }
}
