package com.portfoliostream.broker;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before trying the broker again: a first delay doubling with each failure up to a
 * cap, with "equal jitter" (half of it fixed, the other half random) so that everything that failed
 * together (nodes reconnecting after a broker outage, order jobs of one broker hiccup) does not come
 * back in the same instant, and never sooner than half the delay, so jitter cannot turn into a hot loop.
 *
 * <p>Stateless through {@link #delayAfter(int)} (the order queue counts attempts in its table);
 * stateful through {@link #next()} and {@link #reset()} (a reconnect loop counts its failures here).
 */
public final class Backoff {

  /** Reconnects of the broker's streams start from one second... */
  public static final Duration RECONNECT_FIRST = Duration.ofSeconds(1);
  /** ...and never wait longer than this. */
  public static final Duration RECONNECT_CAP = Duration.ofSeconds(30);

  private final Duration first;
  private final Duration cap;
  private final DoubleSupplier random;
  private int failures;

  /**
   * {@code random} answers in [0, 1), like {@code ThreadLocalRandom.current()::nextDouble}. A first
   * delay above the cap is allowed (a setting may ask for it) and waits the cap.
   */
  public Backoff(Duration first, Duration cap, DoubleSupplier random) {
    if (first.isNegative() || first.isZero() || cap.isNegative()) {
      throw new IllegalArgumentException("a backoff needs a first delay above zero, not " + first);
    }
    this.first = first;
    this.cap = cap;
    this.random = random;
  }

  /** The delays of a stream's reconnects: 1 s doubling to 30 s. */
  public static Backoff reconnect(DoubleSupplier random) {
    return new Backoff(RECONNECT_FIRST, RECONNECT_CAP, random);
  }

  /** The delay after the {@code failure}-th failure in a row (1 for the first): between half and all of the doubled delay. */
  public Duration delayAfter(int failure) {
    long ceiling = doubled(Math.max(failure, 1) - 1);
    long half = ceiling / 2;
    return Duration.ofMillis(half + (long) (random.getAsDouble() * (ceiling - half)));
  }

  /** The delay before the next attempt of a loop that just failed once more. */
  public Duration next() {
    failures++;
    return delayAfter(failures);
  }

  /** After an attempt that worked: the next failure waits the first delay again. */
  public void reset() {
    failures = 0;
  }

  /** Failures since the last {@link #reset()}. */
  public int attempts() {
    return failures;
  }

  /** {@code first} doubled {@code times} times, at most {@code cap} (without overflowing on long runs of failures). */
  private long doubled(int times) {
    long delay = first.toMillis();
    for (int i = 0; i < times && delay < cap.toMillis(); i++) {
      delay *= 2;
    }
    return Math.min(delay, cap.toMillis());
  }
}
