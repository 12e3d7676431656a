package com.portfoliostream.ingest.lease;

import java.time.Duration;

/**
 * A lease this node holds: its fence, and when the renewal that granted it was sent, on this
 * node's monotonic clock. The database extends the lease from the moment it runs that renewal,
 * which is no earlier than the sending, so a holder that stops its stream {@link #overdue} a little
 * less than the lease's length after it has stopped before anyone else can take the lease.
 */
public record HeldLease(Fence fence, long renewalSentNanos) {

  /** How often holders check their leases' age: a lease is given up at most this late. */
  public static final Duration CHECK_EVERY = Duration.ofMillis(250);

  public boolean overdue(long nowNanos, Duration limit) {
    return nowNanos - renewalSentNanos > limit.toNanos();
  }

  public long millisSinceRenewal(long nowNanos) {
    return (nowNanos - renewalSentNanos) / 1_000_000;
  }

  public boolean sameGrant(HeldLease other) {
    return other != null && fence.equals(other.fence);
  }
}
