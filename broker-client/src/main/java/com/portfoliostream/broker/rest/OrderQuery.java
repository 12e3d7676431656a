package com.portfoliostream.broker.rest;

import java.time.Instant;

/**
 * The filters of {@code GET /v2/orders}: status open, closed or all; orders submitted after and
 * until the given instants; ascending or descending; at most {@code limit} (Alpaca: 500).
 */
public record OrderQuery(String status, Instant after, Instant until, boolean ascending, int limit) {

  public static final int MAX_LIMIT = 500;

  /** Every order submitted after {@code after}, oldest first: what a backfill walks through. */
  public static OrderQuery allSince(Instant after) {
    return new OrderQuery("all", after, null, true, MAX_LIMIT);
  }

  /** The orders open now, oldest first, as many as one answer holds: what a reconciliation compares. */
  public static OrderQuery open() {
    return new OrderQuery("open", null, null, true, MAX_LIMIT);
  }
}
