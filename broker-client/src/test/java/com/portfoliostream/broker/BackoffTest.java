package com.portfoliostream.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Jittered backoff")
class BackoffTest {

  @Nested
  @DisplayName("of reconnects")
  class Reconnects {

    @Test
    @DisplayName("doubles from 1 s to a 30 s cap at the top of the jitter range")
    void doublesToCap() {
      Backoff backoff = Backoff.reconnect(() -> 1.0);

      assertThat(delays(backoff, 8)).containsExactly(1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 30_000L, 30_000L, 30_000L);
    }

    @Test
    @DisplayName("never waits less than half the base delay, so jitter cannot turn into a hot loop")
    void jitterFloor() {
      Backoff backoff = Backoff.reconnect(() -> 0.0);

      assertThat(delays(backoff, 6)).containsExactly(500L, 1_000L, 2_000L, 4_000L, 8_000L, 15_000L);
    }

    @Test
    @DisplayName("starts again from one second after a connection that worked")
    void reset() {
      Backoff backoff = Backoff.reconnect(() -> 1.0);
      delays(backoff, 5);

      backoff.reset();

      assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(1));
    }
  }

  @Nested
  @DisplayName("of order job retries")
  class Retries {

    private static final Duration CAP = Duration.ofSeconds(30);

    @Test
    @DisplayName("double from the base with each attempt, between half and all of it, and never beyond 30 s")
    void doublesWithJitterUpToTheCap() {
      Backoff low = new Backoff(Duration.ofMillis(250), CAP, () -> 0.0);
      Backoff high = new Backoff(Duration.ofMillis(250), CAP, () -> 0.999_999);

      assertThat(low.delayAfter(1)).isEqualTo(Duration.ofMillis(125));
      assertThat(high.delayAfter(1)).isEqualTo(Duration.ofMillis(249));
      assertThat(low.delayAfter(2)).isEqualTo(Duration.ofMillis(250));
      assertThat(low.delayAfter(4)).isEqualTo(Duration.ofMillis(1000));
      assertThat(high.delayAfter(4)).isEqualTo(Duration.ofMillis(1999));
      assertThat(low.delayAfter(12)).isEqualTo(Duration.ofSeconds(15));
      assertThat(high.delayAfter(12)).isLessThan(Duration.ofSeconds(30));
      assertThat(high.delayAfter(90)).isLessThan(Duration.ofSeconds(30)).isGreaterThanOrEqualTo(Duration.ofSeconds(15));
    }

    @Test
    @DisplayName("a base above the cap waits the cap, as a long ORDER_RETRY_BASE_MS always did")
    void baseAboveTheCap() {
      Backoff high = new Backoff(Duration.ofSeconds(60), CAP, () -> 0.999_999);

      assertThat(high.delayAfter(1)).isLessThan(CAP).isGreaterThanOrEqualTo(CAP.dividedBy(2));
    }
  }

  private static List<Long> delays(Backoff backoff, int n) {
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      delays.add(backoff.next().toMillis());
    }
    return delays;
  }
}
