package com.portfoliostream.stream.portfolio;

import com.portfoliostream.common.portfolio.PortfolioRows;

/** The SQL of the portfolio reads, in one place. Every query is scoped to one user. */
final class PortfolioQueries {

  static final String POSITIONS =
      "SELECT " + PortfolioRows.POSITION_COLUMNS + " FROM positions WHERE user_id = $1 AND qty > 0 ORDER BY symbol";

  private static final String ORDER_COLUMNS =
      "SELECT " + PortfolioRows.ORDER_COLUMNS + " FROM orders WHERE user_id = $1 ";

  /** $2: terminal statuses, $3: limit. */
  static final String OPEN_ORDERS = ORDER_COLUMNS
      + "AND NOT (status = ANY($2)) ORDER BY created_at DESC LIMIT $3";
  static final String CLOSED_ORDERS = ORDER_COLUMNS
      + "AND status = ANY($2) ORDER BY created_at DESC LIMIT $3";
  static final String ALL_ORDERS = ORDER_COLUMNS
      + "AND $2::text[] IS NOT NULL ORDER BY created_at DESC LIMIT $3";
  /** Open orders, and every order of today ($4: start of the trading day). */
  static final String SNAPSHOT_ORDERS = ORDER_COLUMNS
      + "AND (NOT (status = ANY($2)) OR created_at >= $4) ORDER BY created_at DESC LIMIT $3";

  static final String ACCOUNT =
      "SELECT s.id, s.equity, s.cash, s.buying_power, s.portfolio_value, s.last_equity, s.taken_at "
          + "FROM account_snapshots s JOIN broker_accounts a ON a.id = s.account_id "
          + "WHERE a.user_id = $1 ORDER BY s.taken_at DESC, s.id DESC LIMIT 1";

  /** $2: since, $3: limit. */
  static final String TRADES =
      "SELECT " + PortfolioRows.TRADE_COLUMNS + " FROM trades WHERE user_id = $1 AND executed_at >= $2 ORDER BY executed_at, id LIMIT $3";

  private PortfolioQueries() {}
}
