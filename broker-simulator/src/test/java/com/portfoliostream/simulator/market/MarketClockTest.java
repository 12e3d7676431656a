package com.portfoliostream.simulator.market;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.simulator.SimulatorSettings.ClockMode;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The simulated market clock")
class MarketClockTest {

  @Test
  @DisplayName("follows 09:30-16:00 New York on weekdays in us_market_hours mode, as /v2/clock shows")
  void usMarketHours() {
    // Monday 2026-11-23 10:00 New York (EST, UTC-5)
    JsonObject open = clock(ClockMode.US_MARKET_HOURS, "2026-11-23T15:00:00Z").toJson();
    // Saturday 2026-11-21 12:00 New York
    JsonObject weekend = clock(ClockMode.US_MARKET_HOURS, "2026-11-21T17:00:00Z").toJson();
    // Monday 16:00 New York sharp: closed
    JsonObject closing = clock(ClockMode.US_MARKET_HOURS, "2026-11-23T21:00:00Z").toJson();

    assertThat(open.getBoolean("is_open")).isTrue();
    assertThat(open.getString("timestamp")).isEqualTo("2026-11-23T10:00:00-05:00");
    assertThat(open.getString("next_close")).isEqualTo("2026-11-23T16:00:00-05:00");
    assertThat(open.getString("next_open")).isEqualTo("2026-11-24T09:30:00-05:00");
    assertThat(weekend.getBoolean("is_open")).isFalse();
    assertThat(weekend.getString("next_open")).isEqualTo("2026-11-23T09:30:00-05:00");
    assertThat(closing.getBoolean("is_open")).isFalse();
  }

  @Test
  @DisplayName("is open at any hour by default")
  void alwaysOpen() {
    assertThat(clock(ClockMode.ALWAYS_OPEN, "2026-11-21T17:00:00Z").isOpen()).isTrue();
  }

  private static MarketClock clock(ClockMode mode, String instant) {
    return new MarketClock(mode, Clock.fixed(Instant.parse(instant), ZoneOffset.UTC));
  }
}
