package com.portfoliostream.admin.node;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The node's samples of the last minute (one every few seconds, bounded), so that a stats answer
 * can say what happened in the last minute rather than since the node started.
 */
public final class MetricWindow {

  public static final Duration LENGTH = Duration.ofMinutes(1);
  public static final Duration STEP = Duration.ofSeconds(5);
  /** The ring's bound: one minute of steps, plus the one just older than the window. */
  static final int CAPACITY = (int) (LENGTH.toMillis() / STEP.toMillis()) + 2;

  private final Deque<Sample> samples = new ArrayDeque<>();

  public void add(Sample sample) {
    samples.addLast(sample);
    while (samples.size() > CAPACITY) {
      samples.removeFirst();
    }
  }

  /**
   * The sample to subtract from {@code now}: the newest one at least {@link #LENGTH} old, or the
   * oldest there is when the node is younger than that; {@code now} itself when there is none.
   */
  public Sample baseline(Sample now) {
    Sample baseline = samples.isEmpty() ? now : samples.peekFirst();
    for (Sample sample : samples) {
      if (!sample.at().isAfter(now.at().minus(LENGTH))) {
        baseline = sample;
      }
    }
    return baseline;
  }
}
