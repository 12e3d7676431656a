package com.portfoliostream.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.portfoliostream.admin.node.MetricWindow;
import com.portfoliostream.admin.node.Sample;
import com.portfoliostream.admin.stats.LatencyHistogram;
import com.portfoliostream.admin.stats.UptimeHistory;
import com.portfoliostream.common.stats.NodeCounts.Count;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The arithmetic behind the stats")
class StatsArithmeticTest {

  private static final Instant T0 = Instant.parse("2026-01-05T14:30:00Z");

  private static JsonArray buckets(double[][] pairs) {
    JsonArray array = new JsonArray();
    for (double[] pair : pairs) {
      array.add(new JsonArray().add(pair[0]).add((long) pair[1]));
    }
    return array;
  }

  @Test
  @DisplayName("latency buckets of two nodes add up before the percentile is taken, as histogram_quantile does")
  void mergedPercentiles() {
    LatencyHistogram merged = new LatencyHistogram()
        .add(buckets(new double[][] {{100, 90}, {200, 100}, {2000, 100}}), 100, 9_000)
        .add(buckets(new double[][] {{100, 0}, {200, 0}, {2000, 100}}), 100, 150_000);

    assertThat(merged.count()).isEqualTo(200);
    assertThat(merged.mean()).isEqualTo(795.0);
    assertThat(merged.percentile(0.45)).isCloseTo(100.0, within(0.001));
    assertThat(merged.percentile(0.95)).as("p95 lies in the slow node's bucket").isCloseTo(1820.0, within(0.001));
    assertThat(new LatencyHistogram().percentile(0.95)).isZero();
  }

  @Test
  @DisplayName("the last minute is measured from the newest sample at least a minute old, or from the start when younger")
  void window() {
    MetricWindow window = new MetricWindow();
    Sample start = sample(T0, 0);
    window.add(start);
    Sample young = sample(T0.plusSeconds(20), 4);
    assertThat(window.baseline(young)).isSameAs(start);
    for (int s = 5; s <= 90; s += 5) {
      window.add(sample(T0.plusSeconds(s), s));
    }
    Sample now = sample(T0.plusSeconds(92), 92);
    JsonObject delta = now.since(window.baseline(now)).toJson();
    assertThat(delta.getDouble("seconds")).isEqualTo(62.0);
    assertThat(delta.getLong("disconnects")).isEqualTo(62L);
    assertThat(delta.getJsonObject("latency").getLong("count")).isEqualTo(62L);
  }

  @Test
  @DisplayName("uptime is the share of checks that found the service up, over a bounded day")
  void uptime() {
    UptimeHistory history = new UptimeHistory(Duration.ofHours(6));
    assertThat(history.percent()).isEqualTo(100.0);
    history.record(T0, true);
    history.record(T0.plus(Duration.ofHours(6)), false);
    history.record(T0.plus(Duration.ofHours(12)), true);
    history.record(T0.plus(Duration.ofHours(18)), true);
    assertThat(history.percent()).isEqualTo(75.0);
    history.record(T0.plus(Duration.ofHours(24)), true);
    assertThat(history.percent()).as("the oldest check has left the day").isEqualTo(75.0);
    history.record(T0.plus(Duration.ofHours(30)), true);
    assertThat(history.percent()).isEqualTo(100.0);
  }

  private static Sample sample(Instant at, long count) {
    TreeMap<Double, Long> buckets = new TreeMap<>(Map.of(10.0, count));
    return new Sample(at, Map.of(Count.DISCONNECTS, (double) count), buckets, count, count * 5.0);
  }
}
