package com.portfoliostream.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.admin.stats.StatusRules;
import com.portfoliostream.admin.stats.StatusRules.Figures;
import com.portfoliostream.admin.stats.StatusRules.Level;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The service status by the technical design's thresholds")
class StatusRulesTest {

  /** Quiet figures: one stream node, nothing wrong. */
  private static Figures quiet() {
    return new Figures(0, 120, null, false, 0, 1, 0);
  }

  private static Figures with(double disconnects, double p95, Double brokerAge, boolean marketOpen,
      double errorRate, int streamNodes, int missing) {
    return new Figures(disconnects, p95, brokerAge, marketOpen, errorRate, streamNodes, missing);
  }

  @Test
  @DisplayName("quiet figures are healthy, with no reason given")
  void healthy() {
    StatusRules.Verdict verdict = StatusRules.judge(quiet());
    assertThat(verdict.level()).isEqualTo(Level.HEALTHY);
    assertThat(verdict.reasons()).isEmpty();
  }

  @Test
  @DisplayName("10 disconnects a minute is still healthy; 11 is degraded")
  void disconnects() {
    assertThat(StatusRules.judge(with(10, 120, null, false, 0, 1, 0)).level()).isEqualTo(Level.HEALTHY);
    StatusRules.Verdict verdict = StatusRules.judge(with(11, 120, null, false, 0, 1, 0));
    assertThat(verdict.level()).isEqualTo(Level.DEGRADED);
    assertThat(verdict.reasons()).containsExactly("11 disconnects in the last minute (over 10)");
  }

  @Test
  @DisplayName("p95 latency of 1 s is still healthy; above it is degraded")
  void latency() {
    assertThat(StatusRules.judge(with(0, 1000, null, false, 0, 1, 0)).level()).isEqualTo(Level.HEALTHY);
    assertThat(StatusRules.judge(with(0, 1000.5, null, false, 0, 1, 0)).level()).isEqualTo(Level.DEGRADED);
  }

  @Test
  @DisplayName("a broker silent for over 2 minutes is unhealthy while the market is open, and ignored when it is closed")
  void brokerSilence() {
    assertThat(StatusRules.judge(with(0, 0, 120.0, true, 0, 1, 0)).level()).isEqualTo(Level.HEALTHY);
    assertThat(StatusRules.judge(with(0, 0, 121.0, true, 0, 1, 0)).level()).isEqualTo(Level.UNHEALTHY);
    assertThat(StatusRules.judge(with(0, 0, 3600.0, false, 0, 1, 0)).level()).isEqualTo(Level.HEALTHY);
    assertThat(StatusRules.judge(with(0, 0, null, true, 0, 1, 0)).level())
        .as("no ingest node reporting: nothing to judge").isEqualTo(Level.HEALTHY);
  }

  @Test
  @DisplayName("an error rate of 5 % is still healthy; above it is unhealthy")
  void errorRate() {
    assertThat(StatusRules.judge(with(0, 0, null, false, 0.05, 1, 0)).level()).isEqualTo(Level.HEALTHY);
    StatusRules.Verdict verdict = StatusRules.judge(with(0, 0, null, false, 0.051, 1, 0));
    assertThat(verdict.level()).isEqualTo(Level.UNHEALTHY);
    assertThat(verdict.reasons()).containsExactly("error rate 5.1 % (over 5 %)");
  }

  @Test
  @DisplayName("a node that did not answer degrades the status; no stream node answering makes it unhealthy")
  void nodes() {
    assertThat(StatusRules.judge(with(0, 0, null, false, 0, 1, 1)).level()).isEqualTo(Level.DEGRADED);
    assertThat(StatusRules.judge(with(0, 0, null, false, 0, 0, 0)).level()).isEqualTo(Level.UNHEALTHY);
  }

  @Test
  @DisplayName("the worst crossed threshold wins, and every crossed threshold is listed, critical first")
  void worstWins() {
    StatusRules.Verdict verdict = StatusRules.judge(with(20, 2000, 300.0, true, 0.2, 1, 0));
    assertThat(verdict.level()).isEqualTo(Level.UNHEALTHY);
    assertThat(verdict.reasons()).hasSize(4);
    assertThat(verdict.reasons().get(0)).startsWith("no broker event for 300 s");
  }
}
