package com.portfoliostream.admin.stats;

import com.portfoliostream.common.stats.NodeCounts.Latency;
import io.vertx.core.json.JsonArray;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Latency buckets of several nodes merged into one histogram: bucket counts add up across nodes
 * where percentiles would not. Counts are cumulative (values at or under the bound), as Micrometer
 * and Prometheus give them; percentiles interpolate within a bucket as Prometheus'
 * {@code histogram_quantile} does.
 */
public final class LatencyHistogram {

  private final NavigableMap<Double, Long> cumulative = new TreeMap<>();
  private long count;
  private double sum;

  /** Adds one node's buckets, given as {@code [[upperBoundMs, cumulativeCount], ...]}. */
  public LatencyHistogram add(JsonArray buckets, long count, double sum) {
    return add(new Latency(count, sum, Latency.buckets(buckets)));
  }

  /** Adds one node's latency over a span. */
  public LatencyHistogram add(Latency latency) {
    latency.buckets().forEach((bound, c) -> cumulative.merge(bound, c, Long::sum));
    this.count += latency.count();
    this.sum += latency.sum();
    return this;
  }

  public long count() {
    return count;
  }

  public double mean() {
    return count == 0 ? 0 : sum / count;
  }

  /** The q-quantile (0 < q < 1) in milliseconds; 0 without samples. */
  public double percentile(double q) {
    if (count == 0) {
      return 0;
    }
    double rank = q * count;
    double lowerBound = 0;
    long below = 0;
    for (Map.Entry<Double, Long> bucket : cumulative.entrySet()) {
      if (bucket.getValue() >= rank) {
        long inBucket = bucket.getValue() - below;
        double share = inBucket == 0 ? 1 : (rank - below) / inBucket;
        return lowerBound + (bucket.getKey() - lowerBound) * share;
      }
      lowerBound = bucket.getKey();
      below = bucket.getValue();
    }
    return lowerBound;
  }
}
