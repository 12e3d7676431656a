package com.portfoliostream.stream.ws;

import static com.portfoliostream.common.metrics.MetricNames.ACTIVE_CONNECTIONS;
import static com.portfoliostream.common.metrics.MetricNames.AUTH_FAILURES;
import static com.portfoliostream.common.metrics.MetricNames.DISCONNECTS;
import static com.portfoliostream.common.metrics.MetricNames.RECONNECTS;
import static com.portfoliostream.common.metrics.MetricNames.TAG_REASON;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the edge counts about sockets themselves: how many are open, handshakes refused for want
 * of a session, how sockets ended and how many came back. Names from {@code MetricNames}.
 */
public final class SocketMetrics {

  private final MeterRegistry registry;
  private final Gauge active;
  private final Counter authFailures;
  private final Counter reconnects;
  private final Map<String, Counter> disconnects = new ConcurrentHashMap<>();

  public SocketMetrics(MeterRegistry registry, ConnectionRegistry connections) {
    this.registry = registry;
    this.active = Gauge.builder(ACTIVE_CONNECTIONS, connections, ConnectionRegistry::size)
        .description("Open portfolio sockets on this node").strongReference(true).register(registry);
    this.authFailures = Counter.builder(AUTH_FAILURES)
        .description("Socket handshakes refused for want of a valid session").register(registry);
    this.reconnects = Counter.builder(RECONNECTS)
        .description("Sockets opened by a user who lost one in the last minute").register(registry);
  }

  /** Takes the gauge out of the registry: a stopped edge must not report its last sockets forever. */
  public void removeGauges() {
    registry.remove(active);
  }

  void authFailure() {
    authFailures.increment();
  }

  void reconnect() {
    reconnects.increment();
  }

  /** The reason's counter is looked up in the registry once, then cached. */
  void disconnect(String reason) {
    disconnects.computeIfAbsent(reason, r -> Counter.builder(DISCONNECTS).tag(TAG_REASON, r)
        .description("Sockets that ended, by reason").register(registry)).increment();
  }
}
