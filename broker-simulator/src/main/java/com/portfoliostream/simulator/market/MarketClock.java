package com.portfoliostream.simulator.market;

import com.portfoliostream.simulator.SimulatorSettings.ClockMode;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The simulated market's hours: always open (the default, so demos and tests trade at any hour),
 * or the regular US session, 09:30 to 16:00 New York time on weekdays (holidays are not modelled).
 */
public final class MarketClock {

  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final LocalTime OPEN = LocalTime.of(9, 30);
  private static final LocalTime CLOSE = LocalTime.of(16, 0);

  private final ClockMode mode;
  private final Clock clock;

  public MarketClock(ClockMode mode, Clock clock) {
    this.mode = mode;
    this.clock = clock;
  }

  public boolean isOpen() {
    if (mode == ClockMode.ALWAYS_OPEN) {
      return true;
    }
    ZonedDateTime now = now();
    LocalTime time = now.toLocalTime();
    return isWeekday(now) && !time.isBefore(OPEN) && time.isBefore(CLOSE);
  }

  /** The {@code GET /v2/clock} body. */
  public JsonObject toJson() {
    ZonedDateTime now = now();
    return new JsonObject()
        .put("timestamp", format(now))
        .put("is_open", isOpen())
        .put("next_open", format(next(now, OPEN)))
        .put("next_close", format(next(now, CLOSE)));
  }

  private ZonedDateTime now() {
    return ZonedDateTime.now(clock.withZone(NEW_YORK));
  }

  private static ZonedDateTime next(ZonedDateTime now, LocalTime at) {
    ZonedDateTime candidate = now.with(at).withNano(0);
    while (!candidate.isAfter(now) || !isWeekday(candidate)) {
      candidate = candidate.plusDays(1).with(at);
    }
    return candidate;
  }

  private static boolean isWeekday(ZonedDateTime t) {
    return t.getDayOfWeek() != DayOfWeek.SATURDAY && t.getDayOfWeek() != DayOfWeek.SUNDAY;
  }

  private static String format(ZonedDateTime t) {
    return t.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
  }
}
