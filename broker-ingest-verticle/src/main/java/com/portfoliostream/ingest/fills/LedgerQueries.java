package com.portfoliostream.ingest.fills;

import com.portfoliostream.common.portfolio.PortfolioRows;

/** The SQL of applying broker order events, in one place. Every statement is scoped to one account. */
final class LedgerQueries {

  /** $1 account, $2 client order id, $3 broker order id. */
  static final String LOCK_ORDER =
      "SELECT id, qty, filled_qty, filled_avg_price, status, strategy_id FROM orders "
          + "WHERE account_id = $1 AND (client_order_id = $2 OR broker_order_id = $3) "
          + "ORDER BY (client_order_id = $2) DESC LIMIT 1 FOR UPDATE";

  /** An order placed at the broker without us (another app, the broker's own site): tracked from its first event. */
  static final String INSERT_FOREIGN_ORDER =
      "INSERT INTO orders (account_id, user_id, client_order_id, broker_order_id, symbol, side, type, time_in_force, "
          + "qty, limit_price, stop_price, status, submitted_at) "
          + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'new', $12) "
          + "ON CONFLICT (client_order_id) DO NOTHING RETURNING id, qty, filled_qty, filled_avg_price, status, strategy_id";

  /** $1 id, $2 status, $3 filled qty, $4 filled avg price, $5 broker id, $6 submitted, $7 filled, $8 canceled, $9 reason. */
  static final String UPDATE_ORDER =
      "UPDATE orders SET status = $2, filled_qty = $3, filled_avg_price = COALESCE($4, filled_avg_price), "
          + "broker_order_id = COALESCE(broker_order_id, $5), submitted_at = COALESCE(submitted_at, $6), "
          + "filled_at = COALESCE($7, filled_at), canceled_at = COALESCE($8, canceled_at), "
          + "reject_reason = CASE WHEN $2 IN ('rejected', 'failed') THEN COALESCE(reject_reason, $9) ELSE reject_reason END, "
          + "updated_at = now(), version = version + 1 WHERE id = $1 RETURNING " + PortfolioRows.ORDER_COLUMNS;

  static final String SELECT_ORDER = "SELECT " + PortfolioRows.ORDER_COLUMNS + " FROM orders WHERE id = $1";

  /** $1 account, $2 user, $3 order, $4 execution, $5 symbol, $6 side, $7 qty, $8 price, $9 strategy, $10 time. */
  static final String INSERT_TRADE =
      "INSERT INTO trades (account_id, user_id, order_id, execution_id, symbol, side, qty, price, strategy_id, executed_at) "
          + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
          + "ON CONFLICT (account_id, execution_id) DO NOTHING RETURNING id";

  static final String SET_TRADE_PNL =
      "UPDATE trades SET realized_pnl = $2 WHERE id = $1 RETURNING " + PortfolioRows.TRADE_COLUMNS;

  static final String ENSURE_POSITION =
      "INSERT INTO positions (account_id, user_id, symbol, qty, side, avg_entry_price) "
          + "VALUES ($1, $2, $3, 0, 'long', 0) ON CONFLICT (account_id, symbol) DO NOTHING";

  static final String LOCK_POSITION =
      "SELECT qty, side, avg_entry_price FROM positions WHERE account_id = $1 AND symbol = $2 FOR UPDATE";

  /** $1 account, $2 symbol, $3 qty, $4 side, $5 avg, $6 realized, $7 fill price, $8 strategy, $9 fill time. */
  static final String UPDATE_POSITION =
      "UPDATE positions SET opened_at = CASE WHEN qty = 0 THEN $9 ELSE opened_at END, "
          + "qty = $3, side = $4, avg_entry_price = $5, realized_pnl = realized_pnl + $6, current_price = $7, "
          + "strategy_id = COALESCE(strategy_id, $8), updated_at = GREATEST(updated_at, $9), version = version + 1 "
          + "WHERE account_id = $1 AND symbol = $2 RETURNING " + PortfolioRows.POSITION_COLUMNS;

  private LedgerQueries() {}
}
