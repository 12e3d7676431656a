package com.portfoliostream.ingest.market;

import com.portfoliostream.common.bus.UserEventBus.Meta;
import com.portfoliostream.common.portfolio.PortfolioRows;
import com.portfoliostream.events.model.Position;
import com.portfoliostream.ingest.lease.Fence;
import com.portfoliostream.ingest.publish.LedgerPublisher;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Live P&amp;L: symbol → holders in memory; on each trade price, every holder's position and account
 * are revalued and published when the move is significant. Loaded from PostgreSQL, and reloaded per
 * account whenever ingest changes it; the latest prices are written back in batches, so snapshots
 * after a reconnect show them, behind the fence of the market-data lease.
 */
public final class PositionSync {

  private static final String POSITIONS = "SELECT account_id, user_id, " + PortfolioRows.POSITION_COLUMNS
      + " FROM positions WHERE qty > 0 AND ($1::uuid IS NULL OR account_id = $1)";
  private static final String BALANCES = "SELECT DISTINCT ON (s.account_id) s.account_id, a.user_id, "
      + "s.id, s.equity, s.cash, s.buying_power, s.portfolio_value, s.last_equity, s.taken_at "
      + "FROM account_snapshots s JOIN broker_accounts a ON a.id = s.account_id "
      + "WHERE ($1::uuid IS NULL OR s.account_id = $1) ORDER BY s.account_id, s.taken_at DESC, s.id DESC";
  private static final String ACCOUNTS = "SELECT id, user_id FROM broker_accounts WHERE ($1::uuid IS NULL OR id = $1)";
  private static final String SAVE_PRICE =
      "UPDATE positions SET current_price = $2 WHERE symbol = $1 AND qty > 0 AND current_price IS DISTINCT FROM $2";

  private final Pool pool;
  private final LedgerPublisher publisher;
  private final BigDecimal thresholdPercent;
  private final Map<UUID, AccountBook> books = new HashMap<>();
  private final Map<String, BigDecimal> unsaved = new HashMap<>();

  public PositionSync(Pool pool, LedgerPublisher publisher, BigDecimal thresholdPercent) {
    this.pool = pool;
    this.publisher = publisher;
    this.thresholdPercent = thresholdPercent;
  }

  /** Loads every account. */
  public Future<Void> load() {
    return reload(null);
  }

  /** Reloads one account ({@code null}: all) from the database. */
  public Future<Void> reload(UUID accountId) {
    Tuple key = Tuple.of(accountId);
    return pool.preparedQuery(ACCOUNTS).execute(key).compose(accounts -> {
      Map<UUID, AccountBook> fresh = new HashMap<>();
      accounts.forEach(r -> fresh.put(r.getUUID("id"), new AccountBook(r.getUUID("user_id"))));
      return pool.preparedQuery(POSITIONS).execute(key).compose(positions -> {
        positions.forEach(r -> book(fresh, r).hold(PortfolioRows.position(r)));
        return pool.preparedQuery(BALANCES).execute(key);
      }).map(balances -> {
        balances.forEach(r -> book(fresh, r).balances(PortfolioRows.account(r)));
        if (accountId == null) {
          books.clear();
        } else {
          books.remove(accountId);
        }
        books.putAll(fresh);
        return null;
      });
    });
  }

  private static AccountBook book(Map<UUID, AccountBook> books, Row row) {
    return books.computeIfAbsent(row.getUUID("account_id"), id -> new AccountBook(row.getUUID("user_id")));
  }

  /** Every symbol someone holds: what the market-data connection follows. */
  public Set<String> heldSymbols() {
    Set<String> symbols = new HashSet<>();
    books.values().forEach(b -> symbols.addAll(b.symbols()));
    return symbols;
  }

  public Set<UUID> users() {
    Set<UUID> users = new HashSet<>();
    books.values().forEach(b -> users.add(b.userId()));
    return users;
  }

  /** Revalues every holder of {@code symbol} at {@code price}; returns how many events were published. */
  public int price(String symbol, BigDecimal price, Instant time) {
    unsaved.put(symbol, price);
    int published = 0;
    for (AccountBook book : books.values()) {
      if (!book.symbols().contains(symbol)) {
        continue;
      }
      Meta meta = Meta.of(time);
      var position = book.reprice(symbol, price, time, thresholdPercent);
      if (position.isPresent()) {
        publisher.position(book.userId(), position.get(), meta);
        published++;
      }
      var account = book.revalue(time, thresholdPercent);
      if (account.isPresent()) {
        publisher.account(book.userId(), account.get(), meta);
        published++;
      }
    }
    return published;
  }

  /** Writes the latest price of each symbol that moved since the last call, under {@code fence}. */
  public Future<Void> savePrices(Fence fence) {
    if (unsaved.isEmpty()) {
      return Future.succeededFuture();
    }
    var batch = unsaved.entrySet().stream().map(e -> Tuple.of(e.getKey(), e.getValue())).toList();
    unsaved.clear();
    return fence.transaction(pool, conn -> conn.preparedQuery(SAVE_PRICE).executeBatch(batch)).mapEmpty();
  }

  Position position(UUID accountId, String symbol) {
    AccountBook book = books.get(accountId);
    return book == null ? null : book.positionOf(symbol);
  }
}
