package com.portfoliostream.admin.node;

import static com.portfoliostream.common.metrics.MetricNames.AUTH_FAILURES;
import static com.portfoliostream.common.metrics.MetricNames.CLIENT_STATUS_CHANGES;
import static com.portfoliostream.common.metrics.MetricNames.DISCONNECTS;
import static com.portfoliostream.common.metrics.MetricNames.EVENTS_DELIVERED;
import static com.portfoliostream.common.metrics.MetricNames.EVENTS_EMITTED;
import static com.portfoliostream.common.metrics.MetricNames.EVENT_LATENCY;
import static com.portfoliostream.common.metrics.MetricNames.FRAMES_SENT;
import static com.portfoliostream.common.metrics.MetricNames.MESSAGES_DELIVERED;
import static com.portfoliostream.common.metrics.MetricNames.RECONNECTS;
import static com.portfoliostream.common.metrics.MetricNames.TAG_REASON;

import com.portfoliostream.common.health.NodeHealthChecks;
import com.portfoliostream.common.metrics.MetricNames;
import com.portfoliostream.common.stats.NodeCounts.Count;
import io.micrometer.core.instrument.Counter;
import com.portfoliostream.events.protocol.CloseReason;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads this node's registry by the names of {@code MetricNames}. A meter nobody registered (the
 * node lacks that role) reads as zero or is left out, never as an error.
 */
public final class MeterReadings {

  /** Disconnects that mean the server failed a client (not the client leaving, not a limit). */
  public static final Set<String> ERROR_REASONS = Set.of(
      CloseReason.INTERNAL_ERROR.name().toLowerCase(Locale.ROOT),
      CloseReason.SLOW_CONSUMER.name().toLowerCase(Locale.ROOT));

  private final MeterRegistry registry;

  public MeterReadings(MeterRegistry registry) {
    this.registry = registry;
  }

  public Sample sample(Instant at) {
    Map<Count, Double> counters = new EnumMap<>(Count.class);
    counters.put(Count.EVENTS_EMITTED, sum(EVENTS_EMITTED));
    counters.put(Count.EVENTS_DELIVERED, sum(EVENTS_DELIVERED));
    counters.put(Count.MESSAGES_DELIVERED, sum(MESSAGES_DELIVERED));
    counters.put(Count.FRAMES_SENT, sum(FRAMES_SENT));
    counters.put(Count.DISCONNECTS, sum(DISCONNECTS));
    counters.put(Count.ERROR_DISCONNECTS, errorDisconnects());
    counters.put(Count.RECONNECTS, sum(RECONNECTS));
    counters.put(Count.AUTH_FAILURES, sum(AUTH_FAILURES));
    counters.put(Count.CLIENT_ATTEMPTS, sum(CLIENT_STATUS_CHANGES, "connecting") + sum(CLIENT_STATUS_CHANGES, "reconnecting"));
    counters.put(Count.CLIENT_CONNECTED, sum(CLIENT_STATUS_CHANGES, "connected"));
    counters.put(Count.CLIENT_FALLBACKS, sum(CLIENT_STATUS_CHANGES, "polling"));
    SortedMap<Double, Long> buckets = new TreeMap<>();
    long count = 0;
    double total = 0;
    for (DistributionSummary summary : registry.find(EVENT_LATENCY).summaries()) {
      HistogramSnapshot snapshot = summary.takeSnapshot();
      for (CountAtBucket bucket : snapshot.histogramCounts()) {
        buckets.merge(bucket.bucket(), (long) bucket.count(), Long::sum);
      }
      count += snapshot.count();
      total += snapshot.total();
    }
    return new Sample(at, counters, buckets, count, total);
  }

  /** Sockets that ended since the node started, by reason. */
  public Map<String, Long> disconnectsByReason() {
    Map<String, Long> reasons = new LinkedHashMap<>();
    for (Counter counter : registry.find(DISCONNECTS).counters()) {
      reasons.merge(counter.getId().getTag(TAG_REASON), (long) counter.count(), Long::sum);
    }
    return reasons;
  }

  /** The gauges other roles register (broker, order queue), those present only. */
  public Map<String, Double> gauges() {
    Map<String, Double> gauges = new LinkedHashMap<>();
    for (String name : new String[] {MetricNames.ACTIVE_CONNECTIONS, MetricNames.BATCH_EFFICIENCY,
        MetricNames.BROKER_LAST_EVENT_AGE, MetricNames.BROKER_STREAMS_OWNED, MetricNames.BROKER_MARKET_OPEN,
        MetricNames.ORDER_QUEUE_DEPTH}) {
      NodeHealthChecks.gauge(registry, name).ifPresent(value -> gauges.put(name, value));
    }
    return gauges;
  }

  private double errorDisconnects() {
    return registry.find(DISCONNECTS).counters().stream()
        .filter(c -> ERROR_REASONS.contains(c.getId().getTag(TAG_REASON)))
        .mapToDouble(Counter::count).sum();
  }

  private double sum(String name) {
    return registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
  }

  private double sum(String name, String status) {
    return registry.find(name).tag(MetricNames.TAG_STATUS, status).counters().stream().mapToDouble(Counter::count).sum();
  }
}
