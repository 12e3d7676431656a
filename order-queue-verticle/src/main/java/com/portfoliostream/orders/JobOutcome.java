package com.portfoliostream.orders;

import com.portfoliostream.common.orders.OrderJobStatus;
import java.time.Duration;
import java.util.Optional;

/**
 * How one attempt at a job ended: finished ({@code done} or {@code dead}, with the change it makes
 * to the order), or to be tried again after a delay.
 */
record JobOutcome(OrderJobStatus status, Optional<OrderChange> change, String error, Duration retryAfter, boolean onlyWaited,
    Optional<String> refusal) {

  static JobOutcome done(OrderChange change) {
    return done(change, null);
  }

  /** Finished; {@code note} (may be null) is kept as the job's last error, for operators. */
  static JobOutcome done(OrderChange change, String note) {
    return new JobOutcome(OrderJobStatus.DONE, Optional.ofNullable(change), note, Duration.ZERO, false, Optional.empty());
  }

  static JobOutcome dead(String error, OrderChange change) {
    return new JobOutcome(OrderJobStatus.DEAD, Optional.ofNullable(change), error, Duration.ZERO, false, Optional.empty());
  }

  static JobOutcome retry(String error, Duration after) {
    return new JobOutcome(OrderJobStatus.QUEUED, Optional.empty(), error, after, false, Optional.empty());
  }

  /** Not an attempt: the job waits for something else (a cancel for its order's submission). */
  static JobOutcome waitFor(String why, Duration after) {
    return new JobOutcome(OrderJobStatus.QUEUED, Optional.empty(), why, after, true, Optional.empty());
  }

  /** The same outcome, telling the user that the broker refused what they asked, and why. */
  JobOutcome refused(String reason) {
    return new JobOutcome(status, change, error, retryAfter, onlyWaited, Optional.of(reason));
  }

  boolean retries() {
    return status == OrderJobStatus.QUEUED;
  }

  boolean dead() {
    return status == OrderJobStatus.DEAD;
  }

  /** How the attempt ended, for the attempts counter. */
  AttemptOutcome counted() {
    if (retries()) {
      return onlyWaited ? AttemptOutcome.WAITED : AttemptOutcome.RETRY;
    }
    return dead() ? AttemptOutcome.DEAD : AttemptOutcome.DONE;
  }
}
