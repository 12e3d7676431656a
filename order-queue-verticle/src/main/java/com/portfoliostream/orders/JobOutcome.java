package com.portfoliostream.orders;

import com.portfoliostream.common.orders.OrderJobs;
import java.time.Duration;
import java.util.Optional;

/**
 * How one attempt at a job ended: finished ({@code done} or {@code dead}, with the change it makes
 * to the order), or to be tried again after a delay.
 */
record JobOutcome(String status, Optional<OrderChange> change, String error, Duration retryAfter, boolean onlyWaited,
    Optional<String> refusal) {

  static JobOutcome done(OrderChange change) {
    return done(change, null);
  }

  /** Finished; {@code note} (may be null) is kept as the job's last error, for operators. */
  static JobOutcome done(OrderChange change, String note) {
    return new JobOutcome(OrderJobs.DONE, Optional.ofNullable(change), note, Duration.ZERO, false, Optional.empty());
  }

  static JobOutcome dead(String error, OrderChange change) {
    return new JobOutcome(OrderJobs.DEAD, Optional.ofNullable(change), error, Duration.ZERO, false, Optional.empty());
  }

  static JobOutcome retry(String error, Duration after) {
    return new JobOutcome(OrderJobs.QUEUED, Optional.empty(), error, after, false, Optional.empty());
  }

  /** Not an attempt: the job waits for something else (a cancel for its order's submission). */
  static JobOutcome waitFor(String why, Duration after) {
    return new JobOutcome(OrderJobs.QUEUED, Optional.empty(), why, after, true, Optional.empty());
  }

  /** The same outcome, telling the user that the broker refused what they asked, and why. */
  JobOutcome refused(String reason) {
    return new JobOutcome(status, change, error, retryAfter, onlyWaited, Optional.of(reason));
  }

  boolean retries() {
    return OrderJobs.QUEUED.equals(status);
  }
}
