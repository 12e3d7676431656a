package com.portfoliostream.ingest;

import com.portfoliostream.common.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** What ingest tells operators through the node's registry (the admin role reads the same names). */
public final class IngestMetrics {

  private final MeterRegistry registry;
  private final Clock clock;
  private final AtomicLong lastEventMillis = new AtomicLong();
  private final Gauge owned;
  private final Gauge lastEventAge;
  private final Counter applied;
  private final Counter duplicates;
  private final Counter recovered;
  private final Counter poisonTrading;

  IngestMetrics(MeterRegistry registry, Clock clock, Supplier<Number> ownedStreams) {
    this.registry = registry;
    this.clock = clock;
    owned = Gauge.builder(MetricNames.BROKER_STREAMS_OWNED, ownedStreams)
        .description("Broker accounts whose trading stream this node owns").register(registry);
    lastEventAge = Gauge.builder(MetricNames.BROKER_LAST_EVENT_AGE, this, IngestMetrics::lastEventAgeSeconds)
        .description("Seconds since this node last received a broker event (NaN before the first)")
        .register(registry);
    applied = Counter.builder(MetricNames.BROKER_FILLS_APPLIED).description("Executions applied to positions").register(registry);
    duplicates = Counter.builder(MetricNames.BROKER_FILLS_DUPLICATE).description("Executions received again and ignored")
        .register(registry);
    recovered = Counter.builder(MetricNames.BROKER_FILLS_RECOVERED)
        .description("Executions the trading stream had not delivered, applied from the backfill or a reconcile")
        .register(registry);
    poisonTrading = poisonCounter(registry, MetricNames.STREAM_TRADING);
  }

  /** The counter of poison messages on one broker stream (registering it once per registry). */
  public static Counter poisonCounter(MeterRegistry registry, String stream) {
    return Counter.builder(MetricNames.BROKER_MESSAGES_POISON).tag(MetricNames.TAG_STREAM, stream)
        .description("Broker stream messages dropped as unreadable: malformed, or a decimal out of bounds")
        .register(registry);
  }

  /** A trading-stream message that could not be read was dropped. */
  public void poisonTradingMessage() {
    poisonTrading.increment();
  }

  public void brokerEvent() {
    lastEventMillis.set(clock.millis());
  }

  public void fill(boolean duplicate) {
    (duplicate ? duplicates : applied).increment();
  }

  /** An execution fetched over REST (backfill, reconcile) was applied: the stream had not delivered it. */
  public void recoveredFill() {
    recovered.increment();
  }

  /**
   * Takes the gauges out of the registry (a stopped verticle must not be read, nor kept alive, by
   * them); the counters stay, so a redeployed ingest keeps counting from where this one stopped.
   */
  void remove() {
    registry.remove(owned);
    registry.remove(lastEventAge);
  }

  private double lastEventAgeSeconds() {
    long last = lastEventMillis.get();
    return last == 0 ? Double.NaN : (clock.millis() - last) / 1000.0;
  }
}
