package com.portfoliostream.orders;

import com.portfoliostream.broker.Backoff;
import com.portfoliostream.common.config.NodeConfig;
import com.portfoliostream.common.config.RawSettings;
import com.portfoliostream.common.config.Setting;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * How the workers of one {@code orders} node take jobs: how many at once, for how long a claim
 * holds, how often a failure is retried. The broker call timeout is a quarter of the lease, so the
 * few calls of one attempt always end before another worker may take the job over.
 */
public record OrderQueueSettings(int workers, Duration lease, int maxAttempts, Duration retryBase,
    Duration pollInterval) {

  /** No retry waits longer than this. */
  public static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(30);
  private static final Duration MAX_BROKER_TIMEOUT = Duration.ofSeconds(10);

  public static OrderQueueSettings from(NodeConfig config) {
    RawSettings s = config.settings();
    return new OrderQueueSettings(
        s.integer(Setting.ORDER_WORKERS),
        Duration.ofSeconds(s.integer(Setting.ORDER_LEASE_SECONDS)),
        s.integer(Setting.ORDER_MAX_ATTEMPTS),
        Duration.ofMillis(s.integer(Setting.ORDER_RETRY_BASE_MS)),
        Duration.ofMillis(s.integer(Setting.ORDER_POLL_INTERVAL_MS)));
  }

  /** The wait before a failed job's next attempt: from {@code retryBase}, doubling up to {@link #MAX_RETRY_DELAY}. */
  public Backoff retryBackoff(DoubleSupplier random) {
    return new Backoff(retryBase, MAX_RETRY_DELAY, random);
  }

  public Duration brokerTimeout() {
    Duration quarter = lease.dividedBy(4);
    return quarter.compareTo(MAX_BROKER_TIMEOUT) < 0 ? quarter : MAX_BROKER_TIMEOUT;
  }
}
