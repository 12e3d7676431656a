package com.portfoliostream.orders;

import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A change to an order that a job's outcome makes, applied in the job's finishing transaction. */
record OrderChange(String sql, Tuple params) {

  static OrderChange submitted(UUID orderId, String brokerOrderId, OffsetDateTime submittedAt, String status) {
    return new OrderChange(JobQueries.RECORD_SUBMITTED, Tuple.of(orderId, brokerOrderId, submittedAt, status));
  }

  /** {@code status} is rejected (the broker said no) or failed (we gave up reaching it). */
  static OrderChange refused(UUID orderId, String status, String reason) {
    return new OrderChange(JobQueries.REFUSE, Tuple.of(orderId, status, reason));
  }

  static OrderChange canceledUnsubmitted(UUID orderId) {
    return new OrderChange(JobQueries.CANCEL_UNSUBMITTED, Tuple.of(orderId));
  }

  static OrderChange cancelRefused(UUID orderId) {
    return new OrderChange(JobQueries.CANCEL_REFUSED, Tuple.of(orderId));
  }
}
