package com.portfoliostream.ingest.stream;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Reconnect delays: 1 s doubling to a 30 s cap, each with full jitter between half and the whole
 * delay, so a cluster of nodes reconnecting after a broker outage does not hit it in step.
 */
public final class Backoff {

  public static final Duration FIRST = Duration.ofSeconds(1);
  public static final Duration CAP = Duration.ofSeconds(30);

  private final DoubleSupplier random;
  private int attempt;

  public Backoff(DoubleSupplier random) {
    this.random = random;
  }

  /** The delay before the next attempt; each call doubles the base up to the cap. */
  public Duration next() {
    long base = Math.min(CAP.toMillis(), FIRST.toMillis() << Math.min(attempt, 16));
    attempt++;
    long jittered = base / 2 + Math.round(base / 2.0 * random.getAsDouble());
    return Duration.ofMillis(Math.max(1, jittered));
  }

  /** After a connection that worked: the next failure starts again from one second. */
  public void reset() {
    attempt = 0;
  }

  public int attempts() {
    return attempt;
  }
}
