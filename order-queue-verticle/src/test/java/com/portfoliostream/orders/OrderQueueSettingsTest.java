package com.portfoliostream.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Settings of the order workers")
class OrderQueueSettingsTest {

  @Test
  @DisplayName("the broker call timeout is a quarter of the lease, at most 10 s")
  void brokerTimeoutFitsTheLease() {
    assertThat(new OrderQueueSettings(4, Duration.ofSeconds(8), 10, Duration.ofMillis(250), Duration.ofSeconds(1))
        .brokerTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(new OrderQueueSettings(4, Duration.ofSeconds(300), 10, Duration.ofMillis(250), Duration.ofSeconds(1))
        .brokerTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  @DisplayName("retries start from ORDER_RETRY_BASE_MS and never wait beyond 30 s")
  void retriesStartFromTheBaseUpToTheCap() {
    OrderQueueSettings settings =
        new OrderQueueSettings(4, Duration.ofSeconds(8), 10, Duration.ofMillis(250), Duration.ofSeconds(1));

    assertThat(settings.retryBackoff(() -> 0.0).delayAfter(1)).isEqualTo(Duration.ofMillis(125));
    assertThat(settings.retryBackoff(() -> 0.999_999).delayAfter(90)).isLessThan(Duration.ofSeconds(30))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(15));
  }
}
