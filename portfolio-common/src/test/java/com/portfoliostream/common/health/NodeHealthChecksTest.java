package com.portfoliostream.common.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.portfoliostream.common.metrics.MetricNames;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.ext.healthchecks.Status;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The readiness checks: the database's answer, and the broker streams read from the ingest role's gauges")
class NodeHealthChecksTest {

  private static MeterRegistry gauges(double owned, double marketOpen, double age) {
    MeterRegistry registry = new SimpleMeterRegistry();
    Gauge.builder(MetricNames.BROKER_STREAMS_OWNED, () -> owned).register(registry);
    Gauge.builder(MetricNames.BROKER_MARKET_OPEN, () -> marketOpen).register(registry);
    Gauge.builder(MetricNames.BROKER_LAST_EVENT_AGE, () -> age).register(registry);
    return registry;
  }

  @Test
  @DisplayName("a database answer that comes after the check timed out is dropped, not completed twice")
  void lateDatabaseAnswer() {
    Promise<Status> timedOut = Promise.promise();
    timedOut.complete(Status.KO());

    assertThatCode(() -> NodeHealthChecks.answer(Future.succeededFuture(), timedOut)).doesNotThrowAnyException();
    assertThatCode(() -> NodeHealthChecks.answer(Future.failedFuture("lost"), timedOut)).doesNotThrowAnyException();
    assertThat(timedOut.future().result().isOk()).isFalse();
  }

  @Test
  @DisplayName("is up, saying so, before the ingest role reports its gauges")
  void notReported() {
    Status status = NodeHealthChecks.brokerStreams(new SimpleMeterRegistry());
    assertThat(status.isOk()).isTrue();
    assertThat(status.getData().getBoolean("reported")).isFalse();
  }

  @Test
  @DisplayName("is down when the node owns streams and heard nothing for over 2 minutes while the market is open")
  void silentWhileOpen() {
    assertThat(NodeHealthChecks.brokerStreams(gauges(2, 1, 120)).isOk()).isTrue();
    Status silent = NodeHealthChecks.brokerStreams(gauges(2, 1, 121));
    assertThat(silent.isOk()).isFalse();
    assertThat(silent.getData().getLong("streamsOwned")).isEqualTo(2L);
    assertThat(silent.getData().getLong("lastEventAgeSeconds")).isEqualTo(121L);
  }

  @Test
  @DisplayName("stays up when the market is closed or another node owns the streams")
  void closedOrNotOwner() {
    assertThat(NodeHealthChecks.brokerStreams(gauges(2, 0, 5000)).isOk()).isTrue();
    assertThat(NodeHealthChecks.brokerStreams(gauges(0, 1, 5000)).isOk()).isTrue();
  }
}
