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

  @Test
  @DisplayName("a closing connection's double failure of a queued write is taken for the core race, only without our code on the stack")
  void closingConnectionRace() {
    StackTraceElement[] vertx = {
        new StackTraceElement("io.vertx.core.Promise", "fail", "Promise.java", 104),
        new StackTraceElement("io.vertx.core.impl.future.FutureBase", "lambda$emitResult$0", "FutureBase.java", 59),
        new StackTraceElement("io.vertx.core.net.impl.VertxConnection$1", "cancel", "VertxConnection.java", 422),
        new StackTraceElement("io.vertx.core.internal.concurrent.OutboundMessageQueue", "releaseMessages",
            "OutboundMessageQueue.java", 169),
        new StackTraceElement("io.vertx.core.net.impl.VertxConnection", "handleClosed", "VertxConnection.java", 212)};
    IllegalStateException race = new IllegalStateException("Promise already completed");
    race.setStackTrace(vertx);
    IllegalStateException ours = new IllegalStateException("Promise already completed");
    StackTraceElement[] withOurs = java.util.Arrays.copyOf(vertx, vertx.length + 1);
    withOurs[vertx.length] = new StackTraceElement("com.portfoliostream.stream.ws.FrameWriter", "write", "FrameWriter.java", 41);
    ours.setStackTrace(withOurs);

    assertThat(UncaughtFailures.isClosingConnectionRace(race)).isTrue();
    assertThat(UncaughtFailures.isClosingConnectionRace(ours)).as("our code on the stack").isFalse();
    assertThat(UncaughtFailures.isPoolTimeoutRace(race)).as("not the pool's race").isFalse();
    assertThat(UncaughtFailures.isClosingConnectionRace(new IllegalStateException("other"))).isFalse();
  }
}
