package com.portfoliostream.stream.orders;

import com.portfoliostream.common.portfolio.PortfolioRows;

/** The SQL of taking orders and cancel requests at the edge, in one place; every statement names the user. */
final class OrderQueries {

  /** Locked: a user's placements are taken one at a time, so the user's quota holds exactly. */
  static final String ACCOUNT_OF_USER = "SELECT id FROM broker_accounts WHERE user_id = $1 AND unlinked_at IS NULL FOR UPDATE";

  /** $1 user, $2 the open statuses: the user's open orders, and orders placed in the last minute. */
  static final String USER_ORDER_COUNTS = "SELECT count(*) FILTER (WHERE status = ANY($2)) AS open, "
      + "count(*) FILTER (WHERE created_at > now() - interval '1 minute') AS last_minute, "
      + "extract(epoch FROM min(created_at) FILTER (WHERE created_at > now() - interval '1 minute') "
      + "+ interval '1 minute' - now()) AS frees_in FROM orders WHERE user_id = $1 "
      + "AND (status = ANY($2) OR created_at > now() - interval '1 minute')";

  static final String BY_IDEMPOTENCY_KEY =
      "SELECT " + PortfolioRows.ORDER_COLUMNS + " FROM orders WHERE user_id = $1 AND idempotency_key = $2";

  /**
   * $1 id, $2 account, $3 user, $4 key, $5 symbol, $6 side, $7 type, $8 tif, $9 qty, $10 limit, $11 stop,
   * $12 strategy, $13 client order id (the id as text).
   */
  static final String INSERT_ORDER =
      "INSERT INTO orders (id, account_id, user_id, client_order_id, idempotency_key, symbol, side, type, "
          + "time_in_force, qty, limit_price, stop_price, strategy_id) "
          + "VALUES ($1, $2, $3, $13, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
          + "ON CONFLICT ON CONSTRAINT orders_idempotency_unique DO NOTHING RETURNING " + PortfolioRows.ORDER_COLUMNS;

  /** $1 order, $2 the submit kind. */
  static final String INSERT_SUBMIT_JOB = "INSERT INTO order_jobs (order_id, kind) VALUES ($1, $2)";

  /**
   * Queues the order's cancel job; one already waiting or running is left alone, and a finished one
   * (an earlier cancel the broker refused) is queued again. $1 order, $2 the cancel kind, $3 queued,
   * $4 done, $5 dead.
   */
  static final String UPSERT_CANCEL_JOB =
      "INSERT INTO order_jobs (order_id, kind) VALUES ($1, $2) ON CONFLICT ON CONSTRAINT order_jobs_one_per_kind "
          + "DO UPDATE SET status = $3, attempts = 0, next_attempt_at = now(), last_error = NULL, updated_at = now() "
          + "WHERE order_jobs.status IN ($4, $5) RETURNING id";

  static final String ORDER_OF_USER_FOR_UPDATE =
      "SELECT " + PortfolioRows.ORDER_COLUMNS + " FROM orders WHERE id = $1 AND user_id = $2 FOR UPDATE";

  static final String ORDER_OF_USER =
      "SELECT " + PortfolioRows.ORDER_COLUMNS + " FROM orders WHERE id = $1 AND user_id = $2";

  /** The order's job of a kind ($2), locked: a worker claiming it meanwhile is waited for. */
  static final String JOB_FOR_UPDATE =
      "SELECT id, status, attempts FROM order_jobs WHERE order_id = $1 AND kind = $2 FOR UPDATE";

  /** A submission no worker has tried yet is dropped with its order: the broker never heard of it. $1 job, $2 done, $3 queued. */
  static final String DROP_UNTRIED_SUBMIT =
      "UPDATE order_jobs SET status = $2, last_error = 'canceled before submission', updated_at = now() "
          + "WHERE id = $1 AND status = $3 AND attempts = 0";

  static final String CANCEL_UNSUBMITTED =
      "UPDATE orders SET status = 'canceled', canceled_at = now(), updated_at = now(), version = version + 1 "
          + "WHERE id = $1 RETURNING " + PortfolioRows.ORDER_COLUMNS;

  static final String MARK_PENDING_CANCEL =
      "UPDATE orders SET status = 'pending_cancel', updated_at = now(), version = version + 1 "
          + "WHERE id = $1 RETURNING " + PortfolioRows.ORDER_COLUMNS;

  private OrderQueries() {}
}
