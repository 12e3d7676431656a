package com.portfoliostream.orders;

import java.util.Locale;

/**
 * How one attempt at an order job ended, as the {@code outcome} tag of {@code order_job_attempts}
 * names it ({@link #tag()}); the alert rules in {@code deploy/prometheus} match these names.
 */
enum AttemptOutcome {

  /** The job is finished. */
  DONE,
  /** Dead-lettered after its last attempt. */
  DEAD,
  /** Failed; tried again after a backoff. */
  RETRY,
  /** Not an attempt: the job waited for something else (a cancel for its order's submission). */
  WAITED;

  private final String tag = name().toLowerCase(Locale.ROOT);

  String tag() {
    return tag;
  }
}
