package com.portfoliostream.stream.batch;

import com.portfoliostream.events.protocol.EventType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the edge measures, named as the technical design names it: events in per type, frames
 * out, events dropped, and the latency from the broker event to the frame written, per type.
 */
public final class EdgeMetrics {

  public static final String EVENTS_EMITTED = "websocket_events_emitted";
  public static final String EVENTS_DELIVERED = "websocket_events_delivered";
  public static final String EVENTS_DROPPED = "websocket_events_dropped";
  public static final String FRAMES_SENT = "websocket_frames_sent";
  public static final String LATENCY = "websocket_event_latency_ms";

  private final Map<EventType, Counter> emitted = new EnumMap<>(EventType.class);
  private final Map<EventType, Counter> delivered = new EnumMap<>(EventType.class);
  private final Map<EventType, DistributionSummary> latency = new EnumMap<>(EventType.class);
  private final Map<String, Counter> dropped = new java.util.concurrent.ConcurrentHashMap<>();
  private final MeterRegistry registry;
  private final Counter frames;
  private final LongAdder eventsIn = new LongAdder();
  private final LongAdder framesOut = new LongAdder();

  public EdgeMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.frames = Counter.builder(FRAMES_SENT).description("Frames written to user sockets (after batching)")
        .register(registry);
    for (EventType type : EventType.values()) {
      if (type.channel().isEmpty()) {
        continue;
      }
      emitted.put(type, Counter.builder(EVENTS_EMITTED).tag("type", type.wire())
          .description("Events received from the bus for users with sockets here").register(registry));
      delivered.put(type, Counter.builder(EVENTS_DELIVERED).tag("type", type.wire())
          .description("Entity states handed to user sockets").register(registry));
      latency.put(type, DistributionSummary.builder(LATENCY).tag("type", type.wire())
          .description("Milliseconds from the broker event to the frame written")
          .publishPercentiles(0.5, 0.95, 0.99).publishPercentileHistogram()
          .minimumExpectedValue(1.0).maximumExpectedValue(60_000.0)
          .register(registry));
    }
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
        .tag("type", type.wire()).tag("reason", reason).register(registry)).increment();
  }

  /** A frame went to a user's sockets: count it and the latency of every state it carries. */
  public void frameOut(Flush flush, Instant now) {
    framesOut.increment();
    frames.increment();
    for (PendingFrame.Stamp stamp : flush.stamps()) {
      Counter counter = delivered.get(stamp.type());
      if (counter != null) {
        counter.increment();
      }
      DistributionSummary summary = latency.get(stamp.type());
      if (summary != null) {
        summary.record(Math.max(0, now.toEpochMilli() - stamp.brokerTime().toEpochMilli()));
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
