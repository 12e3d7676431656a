package com.portfoliostream.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.portfoliostream.events.json.WireJson;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Instants on the wire")
class InstantWireTest {

  @Test
  @DisplayName("are written and read by hand exactly as the formatter and the ISO parser do, over random instants")
  void sameAsTheFormatter() {
    for (int i = 0; i < 20_000; i++) {
      Instant instant = Instant.ofEpochMilli(ThreadLocalRandom.current().nextLong(-62_135_596_800_000L, 253_402_300_799_999L));
      String written = WireJson.formatInstant(instant);
      assertThat(written).isEqualTo(WireJson.INSTANT_FORMAT.format(instant));
      assertThat(WireJson.parseInstant(written)).isEqualTo(Instant.parse(written));
    }
  }

  @Test
  @DisplayName("in other ISO shapes (offsets, no or more fraction digits) are still read")
  void otherShapes() {
    assertThat(WireJson.parseInstant("2026-01-04T15:30:45Z")).isEqualTo(Instant.parse("2026-01-04T15:30:45Z"));
    assertThat(WireJson.parseInstant("2026-01-04T15:30:45.123456789Z")).isEqualTo(Instant.parse("2026-01-04T15:30:45.123456789Z"));
    assertThat(WireJson.parseInstant("2026-01-04T16:30:45.123+01:00")).isEqualTo(Instant.parse("2026-01-04T15:30:45.123Z"));
  }

  @Test
  @DisplayName("out of range or malformed, fail as the parsers do")
  void malformed() {
    assertThatThrownBy(() -> WireJson.parseInstant("2026-13-04T15:30:45.123Z")).isInstanceOf(DateTimeParseException.class);
    assertThatThrownBy(() -> WireJson.parseInstant("2026-02-30T15:30:45.123Z")).isInstanceOf(DateTimeParseException.class);
    assertThatThrownBy(() -> WireJson.parseInstant("2026-01-04T15:30:4x.123Z")).isInstanceOf(DateTimeParseException.class);
    assertThatThrownBy(() -> WireJson.parseInstant("2026-01-04 15:30:45.123Z")).isInstanceOf(DateTimeParseException.class);
  }
}
