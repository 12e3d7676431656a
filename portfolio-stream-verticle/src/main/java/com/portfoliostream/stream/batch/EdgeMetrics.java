package com.portfoliostream.stream.batch;

import static com.portfoliostream.common.metrics.MetricNames.BATCH_EFFICIENCY;
import static com.portfoliostream.common.metrics.MetricNames.BATCH_SIZE;
import static com.portfoliostream.common.metrics.MetricNames.EVENTS_DELIVERED;
import static com.portfoliostream.common.metrics.MetricNames.EVENTS_DROPPED;
import static com.portfoliostream.common.metrics.MetricNames.EVENTS_EMITTED;
import static com.portfoliostream.common.metrics.MetricNames.EVENT_LATENCY;
import static com.portfoliostream.common.metrics.MetricNames.FRAMES_SENT;
import static com.portfoliostream.common.metrics.MetricNames.MESSAGES_DELIVERED;
import static com.portfoliostream.common.metrics.MetricNames.TAG_REASON;
import static com.portfoliostream.common.metrics.MetricNames.TAG_TYPE;

import com.portfoliostream.events.protocol.EventType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the edge measures, named as the technical design names it ({@code MetricNames}): events in
 * per type; user frames out of batching and their size; events dropped; and, per socket after its
 * filter (as the seed counts them), messages written, entity events delivered and the latency from
 * the broker event to the socket's write, per type.
 */
public final class EdgeMetrics {

  private final Map<EventType, Counter> emitted = new EnumMap<>(EventType.class);
  private final Map<EventType, Counter> delivered = new EnumMap<>(EventType.class);
  private final Map<EventType, DistributionSummary> latency = new EnumMap<>(EventType.class);
  private final Map<String, Counter> dropped = new java.util.concurrent.ConcurrentHashMap<>();
  private final MeterRegistry registry;
  private final Gauge efficiency;
  private final Counter frames;
  private final Counter messages;
  private final DistributionSummary batchSize;
  private final LongAdder eventsIn = new LongAdder();
  private final LongAdder framesOut = new LongAdder();

  public EdgeMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.frames = Counter.builder(FRAMES_SENT).description("User frames out of batching (each handed to the user's sockets here)")
        .register(registry);
    this.messages = Counter.builder(MESSAGES_DELIVERED)
        .description("Event messages written to sockets, each socket counted after its filter").register(registry);
    this.batchSize = DistributionSummary.builder(BATCH_SIZE).description("Events merged into one frame")
        .publishPercentileHistogram().minimumExpectedValue(1.0).maximumExpectedValue(1_000.0)
        .register(registry);
    this.efficiency = Gauge.builder(BATCH_EFFICIENCY, this, EdgeMetrics::batchEfficiency)
        .description("1 - frames / events since the node started").register(registry);
    for (EventType type : EventType.values()) {
      if (type.channel().isEmpty()) {
        continue;
      }
      emitted.put(type, Counter.builder(EVENTS_EMITTED).tag(TAG_TYPE, type.wire())
          .description("Events received from the bus for users with sockets here").register(registry));
      delivered.put(type, Counter.builder(EVENTS_DELIVERED).tag(TAG_TYPE, type.wire())
          .description("Entity states written to sockets, each socket counted after its filter").register(registry));
      latency.put(type, DistributionSummary.builder(EVENT_LATENCY).tag(TAG_TYPE, type.wire())
          .description("Milliseconds from the broker event to its write on a socket, per socket")
          .publishPercentiles(0.5, 0.95, 0.99).publishPercentileHistogram()
          .minimumExpectedValue(1.0).maximumExpectedValue(60_000.0)
          .register(registry));
    }
  }

  /**
   * Takes the gauge out of the registry when the edge stops, so that a restarted edge registers
   * its own instead of finding this one (which would read a stopped edge).
   */
  public void removeGauges() {
    registry.remove(efficiency);
  }

  public void eventIn(EventType type) {
    eventsIn.increment();
    Counter counter = emitted.get(type);
    if (counter != null) {
      counter.increment();
    }
  }

  /** Counted once per event on the hot path: the counter is looked up in the registry only once. */
  public void dropped(EventType type, String reason) {
    dropped.computeIfAbsent(type.wire() + "/" + reason, key -> Counter.builder(EVENTS_DROPPED)
        .tag(TAG_TYPE, type.wire()).tag(TAG_REASON, reason).register(registry)).increment();
  }

  /** Batching let a frame out to the user's sockets here: count it and how many events it replaced. */
  public void frameOut(Flush flush) {
    framesOut.increment();
    frames.increment();
    batchSize.record(flush.eventsIn());
  }

  /**
   * A socket wrote a message carrying these entity states (after its filter): one message, and
   * per state one delivery and its latency. Called on the socket's loop; Micrometer meters are
   * safe from any thread.
   */
  public void socketDelivered(List<PendingFrame.Stamp> stamps, long nowMs) {
    messages.increment();
    for (PendingFrame.Stamp stamp : stamps) {
      Counter counter = delivered.get(stamp.type());
      if (counter != null) {
        counter.increment();
      }
      DistributionSummary summary = latency.get(stamp.type());
      if (summary != null) {
        summary.record(Math.max(0, nowMs - stamp.brokerTime().toEpochMilli()));
      }
    }
  }

  /** 1 − frames ÷ events: the share of events that did not need a frame of their own. */
  public double batchEfficiency() {
    long in = eventsIn.sum();
    return in == 0 ? 0 : 1.0 - (double) framesOut.sum() / in;
  }

  public long eventsIn() {
    return eventsIn.sum();
  }

  public long framesOut() {
    return framesOut.sum();
  }

  public DistributionSummary latency(EventType type) {
    return latency.get(type);
  }
}
