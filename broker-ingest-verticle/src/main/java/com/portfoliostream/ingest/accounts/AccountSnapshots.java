package com.portfoliostream.ingest.accounts;

import com.portfoliostream.broker.alpaca.AlpacaAccount;
import com.portfoliostream.common.portfolio.PortfolioRows;
import com.portfoliostream.events.model.Account;
import com.portfoliostream.events.model.Valuation;
import com.portfoliostream.ingest.lease.Fence;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.UUID;

/**
 * Records the broker's balances as a new account snapshot when they differ from the newest one,
 * and answers with the account as clients see it (empty when nothing changed). Recording is a
 * write of the account's stream, behind its lease's fence.
 */
public final class AccountSnapshots {

  private static final String LATEST = "SELECT " + PortfolioRows.ACCOUNT_COLUMNS
      + " FROM account_snapshots WHERE account_id = $1 ORDER BY taken_at DESC, id DESC LIMIT 1";
  private static final String INSERT = "INSERT INTO account_snapshots "
      + "(account_id, equity, cash, buying_power, portfolio_value, last_equity) VALUES ($1, $2, $3, $4, $5, $6) "
      + "RETURNING " + PortfolioRows.ACCOUNT_COLUMNS;

  private final Pool pool;

  public AccountSnapshots(Pool pool) {
    this.pool = pool;
  }

  private static Future<Optional<Account>> latest(SqlClient client, UUID accountId) {
    return client.preparedQuery(LATEST).execute(Tuple.of(accountId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(PortfolioRows.account(rows.iterator().next())));
  }

  public Future<Optional<Account>> record(Fence fence, UUID accountId, AlpacaAccount broker) {
    BigDecimal equity = Valuation.money(broker.equity());
    BigDecimal cash = Valuation.money(broker.cash());
    BigDecimal buyingPower = Valuation.money(broker.buyingPower().max(BigDecimal.ZERO));
    BigDecimal portfolio = Valuation.money(broker.portfolioValue() != null ? broker.portfolioValue() : broker.equity());
    BigDecimal lastEquity = Valuation.money(broker.lastEquity().max(BigDecimal.ZERO));
    return fence.transaction(pool, conn -> latest(conn, accountId).compose(current -> {
      if (current.isPresent() && same(current.get(), equity, cash, buyingPower, lastEquity)) {
        return Future.succeededFuture(Optional.empty());
      }
      return conn.preparedQuery(INSERT).execute(Tuple.of(accountId, equity, cash, buyingPower, portfolio, lastEquity))
          .map(rows -> Optional.of(PortfolioRows.account(rows.iterator().next())));
    }));
  }

  private static boolean same(Account a, BigDecimal equity, BigDecimal cash, BigDecimal buyingPower, BigDecimal lastEquity) {
    return a.equity().compareTo(equity) == 0 && a.cash().compareTo(cash) == 0
        && a.buyingPower().compareTo(buyingPower) == 0 && a.lastEquity().compareTo(lastEquity) == 0;
  }
}
