package com.portfoliostream.common.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Which database failures are an outage (503, retried) and which are faults")
class DatabaseFailuresTest {

  @Test
  @DisplayName("a stopped, restarting, unreachable or exhausted database is an outage, also as a cause")
  void outages() {
    assertThat(DatabaseFailures.isUnavailable(ClosedConnectionException.INSTANCE)).isTrue();
    assertThat(DatabaseFailures.isUnavailable(new RuntimeException(new ConnectException("Connection refused")))).isTrue();
    assertThat(DatabaseFailures.isUnavailable(new PgException("terminating connection due to administrator command",
        "FATAL", "57P01", null))).isTrue();
    assertThat(DatabaseFailures.isUnavailable(new PgException("the database system is starting up", "FATAL",
        "57P03", null))).isTrue();
    assertThat(DatabaseFailures.isUnavailable(new PgException("connection failure", "FATAL", "08006", null))).isTrue();
    assertThat(DatabaseFailures.isUnavailable(new ConnectionPoolTooBusyException("max wait queue size"))).isTrue();
    assertThat(DatabaseFailures.isUnavailable(new java.util.concurrent.TimeoutException("no answer"))).isTrue();
    assertThat(DatabaseFailures.isUnavailable(new VertxException("Timeout waiting for connection"))).as("a pool "
        + "whose every connection is busy past its connect timeout, seen under the soak").isTrue();
  }

  @Test
  @DisplayName("a statement the database refused, or our own bug, is not")
  void faults() {
    assertThat(DatabaseFailures.isUnavailable(new PgException("duplicate key", "ERROR", "23505", null))).isFalse();
    assertThat(DatabaseFailures.isUnavailable(new PgException("syntax error", "ERROR", "42601", null))).isFalse();
    assertThat(DatabaseFailures.isUnavailable(new NullPointerException())).isFalse();
    assertThat(DatabaseFailures.isUnavailable(new VertxException("Pool closed"))).isFalse();
  }
}
