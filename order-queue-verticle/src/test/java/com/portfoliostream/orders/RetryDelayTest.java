package com.portfoliostream.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Retry delays of order jobs")
class RetryDelayTest {

  @Test
  @DisplayName("double from the base with each attempt, between half and all of it, and never beyond 30 s")
  void doublesWithJitterUpToTheCap() {
    RetryDelay low = new RetryDelay(Duration.ofMillis(250), () -> 0.0);
    RetryDelay high = new RetryDelay(Duration.ofMillis(250), () -> 0.999_999);

    assertThat(low.after(1)).isEqualTo(Duration.ofMillis(125));
    assertThat(high.after(1)).isEqualTo(Duration.ofMillis(249));
    assertThat(low.after(2)).isEqualTo(Duration.ofMillis(250));
    assertThat(low.after(4)).isEqualTo(Duration.ofMillis(1000));
    assertThat(high.after(4)).isEqualTo(Duration.ofMillis(1999));
    assertThat(low.after(12)).isEqualTo(Duration.ofSeconds(15));
    assertThat(high.after(12)).isLessThan(Duration.ofSeconds(30));
    assertThat(high.after(90)).isLessThan(Duration.ofSeconds(30)).isGreaterThanOrEqualTo(Duration.ofSeconds(15));
  }

  @Test
  @DisplayName("the broker call timeout is a quarter of the lease, at most 10 s")
  void brokerTimeoutFitsTheLease() {
    assertThat(new OrderQueueSettings(4, Duration.ofSeconds(8), 10, Duration.ofMillis(250), Duration.ofSeconds(1))
        .brokerTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(new OrderQueueSettings(4, Duration.ofSeconds(300), 10, Duration.ofMillis(250), Duration.ofSeconds(1))
        .brokerTimeout()).isEqualTo(Duration.ofSeconds(10));
  }
}
