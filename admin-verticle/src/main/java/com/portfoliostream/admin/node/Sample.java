package com.portfoliostream.admin.node;

import com.portfoliostream.common.stats.NodeCounts;
import com.portfoliostream.common.stats.NodeCounts.Count;
import com.portfoliostream.common.stats.NodeCounts.Latency;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The node's cumulative counters and latency buckets at one instant. Two samples subtract into
 * what happened between them.
 */
public record Sample(Instant at, Map<Count, Double> counters, SortedMap<Double, Long> latencyBuckets,
    long latencyCount, double latencySum) {

  /** What happened from {@code earlier} to this sample (counts, latency buckets). */
  public NodeCounts since(Sample earlier) {
    Map<Count, Long> counts = new EnumMap<>(Count.class);
    counters.forEach((counter, value) -> counts.put(counter, (long) (value - earlier.counters.getOrDefault(counter, 0.0))));
    SortedMap<Double, Long> buckets = new TreeMap<>();
    latencyBuckets.forEach((bound, count) -> buckets.put(bound, count - earlier.latencyBuckets.getOrDefault(bound, 0L)));
    return new NodeCounts((at.toEpochMilli() - earlier.at.toEpochMilli()) / 1000.0, counts,
        latency(buckets, latencyCount - earlier.latencyCount, latencySum - earlier.latencySum));
  }

  /** The totals since the node started. */
  public NodeCounts totals() {
    Map<Count, Long> counts = new EnumMap<>(Count.class);
    counters.forEach((counter, value) -> counts.put(counter, value.longValue()));
    return new NodeCounts(null, counts, latency(latencyBuckets, latencyCount, latencySum));
  }

  /** Empty buckets are left out: the message carries only those that counted something. */
  private static Latency latency(SortedMap<Double, Long> buckets, long count, double sum) {
    SortedMap<Double, Long> counted = new TreeMap<>();
    buckets.forEach((bound, c) -> {
      if (c > 0) {
        counted.put(bound, c);
      }
    });
    return new Latency(count, sum, counted);
  }
}
