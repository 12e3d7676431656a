package com.portfoliostream.ingest;

import com.portfoliostream.common.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** What ingest tells operators through the node's registry (the admin role reads the same names). */
final class IngestMetrics {


  private final Clock clock;
  private final AtomicLong lastEventMillis = new AtomicLong();
  private final Counter applied;
  private final Counter duplicates;

  IngestMetrics(MeterRegistry registry, Clock clock, Supplier<Number> owned) {
    this.clock = clock;
    Gauge.builder(MetricNames.BROKER_STREAMS_OWNED, owned).description("Broker accounts whose trading stream this node owns")
        .register(registry);
    Gauge.builder(MetricNames.BROKER_LAST_EVENT_AGE, this, IngestMetrics::lastEventAgeSeconds)
        .description("Seconds since this node last received a broker event (NaN before the first)")
        .register(registry);
    applied = Counter.builder(MetricNames.BROKER_FILLS_APPLIED).description("Executions applied to positions").register(registry);
    duplicates = Counter.builder(MetricNames.BROKER_FILLS_DUPLICATE).description("Executions received again and ignored")
        .register(registry);
  }

  void brokerEvent() {
    lastEventMillis.set(clock.millis());
  }

  void fill(boolean duplicate) {
    (duplicate ? duplicates : applied).increment();
  }

  private double lastEventAgeSeconds() {
    long last = lastEventMillis.get();
    return last == 0 ? Double.NaN : (clock.millis() - last) / 1000.0;
  }
}
