package com.portfoliostream.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Exceptions nobody caught on an event loop")
class UncaughtFailuresTest {

  @Test
  @DisplayName("only the pool's double completion (vertx-sql-client#1567) is taken for the known race")
  void knownRace() {
    IllegalStateException race = new IllegalStateException("Promise already completed");
    race.setStackTrace(new StackTraceElement[] {
        new StackTraceElement("io.vertx.core.Promise", "fail", "Promise.java", 110),
        new StackTraceElement("io.vertx.sqlclient.impl.pool.SqlConnectionPool$1PoolRequest", "lambda$onEnqueue$1",
            "SqlConnectionPool.java", 309)});
    IllegalStateException ours = new IllegalStateException("Promise already completed");
    ours.setStackTrace(new StackTraceElement[] {
        new StackTraceElement("io.vertx.core.Promise", "fail", "Promise.java", 110),
        new StackTraceElement("com.portfoliostream.stream.ws.NodeLease", "renew", "NodeLease.java", 120)});

    assertThat(UncaughtFailures.isPoolTimeoutRace(race)).isTrue();
    assertThat(UncaughtFailures.isPoolTimeoutRace(ours)).as("the same exception from our own code").isFalse();
    assertThat(UncaughtFailures.isPoolTimeoutRace(new IllegalStateException("other"))).isFalse();
  }
}
