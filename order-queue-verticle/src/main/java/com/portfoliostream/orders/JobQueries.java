package com.portfoliostream.orders;

import com.portfoliostream.common.portfolio.PortfolioRows;

/** The SQL of the order workers, in one place: claiming and finishing jobs, and what they change in orders. */
final class JobQueries {

  /**
   * Claims up to $3 jobs for owner $1 for $2 ms: waiting ones ($5 queued) whose time has come, and
   * running ones ($4 running) whose worker let the lease lapse (it died). Rows other workers are
   * claiming are skipped, not waited for.
   */
  static final String CLAIM =
      "UPDATE order_jobs j SET status = $4, attempts = j.attempts + 1, lease_owner = $1, "
          + "lease_expires_at = now() + $2::int * interval '1 millisecond', updated_at = now() "
          + "FROM (SELECT id FROM order_jobs "
          + "WHERE (status = $5 AND next_attempt_at <= now()) OR (status = $4 AND lease_expires_at < now()) "
          + "ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED) c "
          + "WHERE j.id = c.id RETURNING j.id, j.order_id, j.kind, j.attempts";

  /**
   * $1 job, $2 owner, $3 final status, $4 error (null keeps the last one), $5 running. Only while the
   * lease is still ours.
   */
  static final String FINISH =
      "UPDATE order_jobs SET status = $3, last_error = COALESCE($4, last_error), lease_owner = NULL, "
          + "lease_expires_at = NULL, updated_at = now() WHERE id = $1 AND lease_owner = $2 AND status = $5 "
          + "RETURNING id";

  /**
   * $1 job, $2 owner, $3 delay ms, $4 error, $5 attempts to give back (1 when the attempt was only a
   * wait), $6 queued, $7 running.
   */
  static final String RETRY =
      "UPDATE order_jobs SET status = $6, next_attempt_at = now() + $3::int * interval '1 millisecond', "
          + "last_error = COALESCE($4, last_error), attempts = attempts - $5, lease_owner = NULL, lease_expires_at = NULL, "
          + "updated_at = now() WHERE id = $1 AND lease_owner = $2 AND status = $7 RETURNING id";

  static final String LOAD_ORDER =
      "SELECT " + PortfolioRows.ORDER_COLUMNS + ", account_id, user_id, client_order_id FROM orders WHERE id = $1";

  /** $1 order, $2 the submit kind. */
  static final String SUBMIT_JOB_STATUS = "SELECT status FROM order_jobs WHERE order_id = $1 AND kind = $2";

  private static final String RETURNING = " RETURNING " + PortfolioRows.ORDER_COLUMNS + ", user_id";

  /**
   * $1 order, $2 broker id, $3 submitted at, $4 status. The broker has the order: its id and time are
   * kept, and a {@code pending_new} order takes the broker's status. Fills are never taken from here:
   * ingest applies them, with their trades, from the broker's events. A no-op when ingest was faster.
   */
  static final String RECORD_SUBMITTED =
      "UPDATE orders SET broker_order_id = COALESCE(broker_order_id, $2), submitted_at = COALESCE(submitted_at, $3), "
          + "status = CASE WHEN status = 'pending_new' THEN $4 ELSE status END, updated_at = now(), version = version + 1 "
          + "WHERE id = $1 AND (broker_order_id IS NULL OR status = 'pending_new')" + RETURNING;

  /** $1 order, $2 final status (rejected or failed), $3 reason: only for an order the broker never took. */
  static final String REFUSE =
      "UPDATE orders SET status = $2, reject_reason = $3, updated_at = now(), version = version + 1 "
          + "WHERE id = $1 AND broker_order_id IS NULL AND status IN ('pending_new', 'pending_cancel')" + RETURNING;

  /** The broker never had the order and a cancel was asked: canceled here. */
  static final String CANCEL_UNSUBMITTED =
      "UPDATE orders SET status = 'canceled', canceled_at = now(), updated_at = now(), version = version + 1 "
          + "WHERE id = $1 AND broker_order_id IS NULL AND status IN ('pending_new', 'pending_cancel')" + RETURNING;

  /** The broker refused the cancel (or it could not be delivered): the order is working again, as far as we know. */
  static final String CANCEL_REFUSED =
      "UPDATE orders SET status = CASE WHEN filled_qty > 0 THEN 'partially_filled' ELSE 'new' END, "
          + "updated_at = now(), version = version + 1 WHERE id = $1 AND status = 'pending_cancel'" + RETURNING;

  private JobQueries() {}
}
