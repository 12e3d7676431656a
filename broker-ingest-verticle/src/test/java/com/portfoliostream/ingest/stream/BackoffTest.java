package com.portfoliostream.ingest.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Reconnect backoff")
class BackoffTest {

  @Test
  @DisplayName("doubles from 1 s to a 30 s cap at the top of the jitter range")
  void doublesToCap() {
    Backoff backoff = new Backoff(() -> 1.0);

    assertThat(delays(backoff, 8)).containsExactly(1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 30_000L, 30_000L, 30_000L);
  }

  @Test
  @DisplayName("never waits less than half the base delay, so jitter cannot turn into a hot loop")
  void jitterFloor() {
    Backoff backoff = new Backoff(() -> 0.0);

    assertThat(delays(backoff, 6)).containsExactly(500L, 1_000L, 2_000L, 4_000L, 8_000L, 15_000L);
  }

  @Test
  @DisplayName("starts again from one second after a connection that worked")
  void reset() {
    Backoff backoff = new Backoff(() -> 1.0);
    delays(backoff, 5);

    backoff.reset();

    assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(1));
  }

  private static List<Long> delays(Backoff backoff, int n) {
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      delays.add(backoff.next().toMillis());
    }
    return delays;
  }
}
