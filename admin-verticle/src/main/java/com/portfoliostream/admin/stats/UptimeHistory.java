package com.portfoliostream.admin.stats;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Whether the streaming service was up at each of the admin role's periodic checks over the last
 * day (bounded: one entry per check), and the share of checks it was up.
 */
public final class UptimeHistory {

  public static final Duration SPAN = Duration.ofHours(24);

  private record Check(Instant at, boolean up) {}

  private final Deque<Check> checks = new ArrayDeque<>();
  private final int capacity;
  private int ups;

  public UptimeHistory(Duration checkInterval) {
    this.capacity = (int) Math.max(1, SPAN.toMillis() / checkInterval.toMillis());
  }

  public void record(Instant at, boolean up) {
    checks.addLast(new Check(at, up));
    ups += up ? 1 : 0;
    while (checks.size() > capacity || checks.peekFirst().at().isBefore(at.minus(SPAN))) {
      ups -= checks.removeFirst().up() ? 1 : 0;
    }
  }

  /** Percent of checks that found the service up; 100 before the first check. */
  public double percent() {
    return checks.isEmpty() ? 100.0 : 100.0 * ups / checks.size();
  }
}
