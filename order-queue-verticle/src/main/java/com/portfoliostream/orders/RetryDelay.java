package com.portfoliostream.orders;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The wait before the next attempt at a job: the base, doubling with each attempt up to
 * {@link OrderQueueSettings#MAX_RETRY_DELAY}, with "equal jitter" (half fixed, half random) so jobs
 * that failed together (the broker went down) do not all come back in the same instant.
 */
public final class RetryDelay {

  private final Duration base;
  private final DoubleSupplier random;

  public RetryDelay(Duration base, DoubleSupplier random) {
    this.base = base;
    this.random = random;
  }

  /** The delay after the {@code attempt}-th attempt failed (1 for the first). */
  public Duration after(int attempt) {
    long cap = OrderQueueSettings.MAX_RETRY_DELAY.toMillis();
    long doubled = base.toMillis() << Math.min(Math.max(attempt - 1, 0), 20);
    long ceiling = Math.min(cap, doubled);
    long half = ceiling / 2;
    return Duration.ofMillis(half + (long) (random.getAsDouble() * (ceiling - half)));
  }
}
