package com.portfoliostream.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What every socket of the scale benchmark received in one phase: frames, entity deliveries, and
 * the latency of each delivery by kind (receipt minus publish time, one clock), in HdrHistograms
 * that any event loop records into without a lock and in constant memory.
 */
final class DeliveryBook {

  static final List<String> KINDS = List.of(FrameScanner.POSITION_PRICE, FrameScanner.POSITION_FILL,
      FrameScanner.ORDER, FrameScanner.TRADE, FrameScanner.ACCOUNT);
  /** Latencies are kept up to an hour, to three significant digits. */
  private static final long HIGHEST_MS = 3_600_000;

  private final Map<String, Histogram> latency = new LinkedHashMap<>();
  private final LongAdder frames = new LongAdder();
  private final LongAdder deliveries = new LongAdder();

  DeliveryBook() {
    KINDS.forEach(kind -> latency.put(kind, histogram()));
  }

  static Histogram histogram() {
    return new ConcurrentHistogram(HIGHEST_MS, 3);
  }

  /** One frame a socket received at {@code receivedAtMs}: its entities are counted and timed. */
  void frame(String frame, long receivedAtMs) {
    String type = FrameScanner.type(frame);
    if (type == null) {
      return;
    }
    frames.increment();
    FrameScanner.entities(frame, type, (kind, publishedAtMs) -> {
      deliveries.increment();
      latency.get(kind).recordValue(Math.min(HIGHEST_MS, Math.max(0, receivedAtMs - publishedAtMs)));
    });
  }

  long frames() {
    return frames.sum();
  }

  long deliveries() {
    return deliveries.sum();
  }

  /** count, p50, p95, p99, max in ms per kind that was received. */
  Map<String, Map<String, Long>> latencies() {
    Map<String, Map<String, Long>> result = new LinkedHashMap<>();
    latency.forEach((kind, histogram) -> {
      if (histogram.getTotalCount() > 0) {
        result.put(kind, summarize(histogram));
      }
    });
    return result;
  }

  /** The same figures as {@link LatencyBook#summarize}, from a histogram. */
  static Map<String, Long> summarize(Histogram histogram) {
    Map<String, Long> row = new LinkedHashMap<>();
    row.put("count", histogram.getTotalCount());
    if (histogram.getTotalCount() == 0) {
      return row;
    }
    row.put("p50", histogram.getValueAtPercentile(50));
    row.put("p95", histogram.getValueAtPercentile(95));
    row.put("p99", histogram.getValueAtPercentile(99));
    row.put("max", histogram.getMaxValue());
    return row;
  }
}
