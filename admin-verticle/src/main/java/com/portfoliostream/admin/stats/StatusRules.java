package com.portfoliostream.admin.stats;

import com.portfoliostream.common.health.NodeHealthChecks;
import java.util.ArrayList;
import java.util.List;

/**
 * The service status from the technical design's alert thresholds. Warnings (many disconnects,
 * slow delivery, a node not answering) make it {@code degraded}; what the design calls critical
 * (the broker silent while the market is open, errors beyond 5 %, no stream node answering) makes
 * it {@code unhealthy}. Pure: the same figures always give the same verdict.
 */
public final class StatusRules {

  public static final double MAX_DISCONNECTS_PER_MINUTE = 10;
  public static final double MAX_P95_LATENCY_MS = 1_000;
  public static final double MAX_ERROR_RATE = 0.05;
  public static final long MAX_BROKER_SILENCE_SECONDS = NodeHealthChecks.BROKER_SILENCE_LIMIT.toSeconds();

  /** The three levels, worst last. */
  public enum Level {
    HEALTHY, DEGRADED, UNHEALTHY;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * The figures the verdict rests on. {@code brokerEventAgeSeconds} is null when no node reports
   * the broker (no ingest role in the cluster).
   */
  public record Figures(double disconnectsPerMinute, double p95LatencyMs, Double brokerEventAgeSeconds,
      boolean marketOpen, double errorRate, int streamNodes, int missingNodes) {}

  /** The verdict and every threshold crossed, in words an operator can act on. */
  public record Verdict(Level level, List<String> reasons) {}

  private StatusRules() {}

  public static Verdict judge(Figures f) {
    List<String> degraded = new ArrayList<>();
    List<String> unhealthy = new ArrayList<>();
    if (f.disconnectsPerMinute() > MAX_DISCONNECTS_PER_MINUTE) {
      degraded.add(String.format("%.0f disconnects in the last minute (over %.0f)",
          f.disconnectsPerMinute(), MAX_DISCONNECTS_PER_MINUTE));
    }
    if (f.p95LatencyMs() > MAX_P95_LATENCY_MS) {
      degraded.add(String.format("p95 latency %.0f ms (over %.0f ms)", f.p95LatencyMs(), MAX_P95_LATENCY_MS));
    }
    if (f.missingNodes() > 0) {
      degraded.add(f.missingNodes() + " node(s) did not answer");
    }
    if (f.marketOpen() && f.brokerEventAgeSeconds() != null
        && f.brokerEventAgeSeconds() > MAX_BROKER_SILENCE_SECONDS) {
      unhealthy.add(String.format("no broker event for %.0f s while the market is open (over %d s)",
          f.brokerEventAgeSeconds(), MAX_BROKER_SILENCE_SECONDS));
    }
    if (f.errorRate() > MAX_ERROR_RATE) {
      unhealthy.add(String.format("error rate %.1f %% (over %.0f %%)", f.errorRate() * 100, MAX_ERROR_RATE * 100));
    }
    if (f.streamNodes() == 0) {
      unhealthy.add("no stream node answered");
    }
    List<String> reasons = new ArrayList<>(unhealthy);
    reasons.addAll(degraded);
    Level level = !unhealthy.isEmpty() ? Level.UNHEALTHY : !degraded.isEmpty() ? Level.DEGRADED : Level.HEALTHY;
    return new Verdict(level, List.copyOf(reasons));
  }
}
