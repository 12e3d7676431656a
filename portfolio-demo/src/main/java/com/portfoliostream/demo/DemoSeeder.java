package com.portfoliostream.demo;

import com.portfoliostream.common.security.CredentialCipher;
import com.portfoliostream.common.security.PasswordHashing;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the {@link DemoPortfolio} into the database on first start. A user who already exists is
 * left exactly as they are, so restarts (and several nodes starting at once) never duplicate or
 * reset anything.
 */
public final class DemoSeeder {

  private static final Logger LOG = LoggerFactory.getLogger(DemoSeeder.class);
  private static final String INSERT_USER =
      "INSERT INTO users (username, password_hash, role) VALUES ($1, $2, $3) "
          + "ON CONFLICT (username) DO NOTHING RETURNING id";
  private static final String INSERT_ACCOUNT =
      "INSERT INTO broker_accounts (id, user_id, environment, api_key_id, api_secret_cipher) "
          + "VALUES ($1, $2, 'simulator', $3, $4)";
  private static final String INSERT_POSITION =
      "INSERT INTO positions (account_id, user_id, symbol, qty, side, avg_entry_price, current_price, lastday_price) "
          + "VALUES ($1, $2, $3, $4, $5, $6, $7, $7)";
  private static final String INSERT_SNAPSHOT =
      "INSERT INTO account_snapshots (account_id, equity, cash, buying_power, portfolio_value, last_equity) "
          + "VALUES ($1, $2, $3, $4, $2, $2)";

  private final Vertx vertx;
  private final Pool pool;
  private final CredentialCipher cipher;
  private final PasswordHashing hashing;

  /** Hashes the demo password with the default iterations. */
  public DemoSeeder(Vertx vertx, Pool pool, CredentialCipher cipher) {
    this(vertx, pool, cipher, new PasswordHashing());
  }

  public DemoSeeder(Vertx vertx, Pool pool, CredentialCipher cipher, PasswordHashing hashing) {
    this.vertx = vertx;
    this.pool = pool;
    this.cipher = cipher;
    this.hashing = hashing;
  }

  /** Completes with the usernames created now (empty when the demo was already there). */
  public Future<List<String>> seed(String password) {
    List<String> usernames = DemoPortfolio.USERS.stream().map(DemoPortfolio.User::username).toList();
    return pool.preparedQuery("SELECT username FROM users WHERE username = ANY($1)")
        .execute(Tuple.of(usernames.toArray(String[]::new)))
        .compose(rows -> {
          List<String> existing = new ArrayList<>();
          rows.forEach(r -> existing.add(r.getString("username")));
          List<DemoPortfolio.User> missing = DemoPortfolio.USERS.stream()
              .filter(u -> !existing.contains(u.username())).toList();
          return missing.isEmpty() ? Future.succeededFuture(List.<String>of()) : seedUsers(missing, password);
        });
  }

  private Future<List<String>> seedUsers(List<DemoPortfolio.User> users, String password) {
    List<Future<String>> hashes = users.stream().map(u -> hashing.hash(vertx, password)).toList();
    return Future.all(hashes).compose(done -> pool.withTransaction(conn -> {
      List<String> created = new ArrayList<>();
      Future<Void> chain = Future.succeededFuture();
      for (int i = 0; i < users.size(); i++) {
        DemoPortfolio.User user = users.get(i);
        String hash = hashes.get(i).result();
        chain = chain.compose(v -> insertUser(conn, user, hash).map(wasCreated -> {
          if (wasCreated) {
            created.add(user.username());
          }
          return null;
        }));
      }
      return chain.map(v -> created);
    })).onSuccess(created -> {
      if (!created.isEmpty()) {
        LOG.info("Demo data created for {}", created);
      }
    });
  }

  private Future<Boolean> insertUser(SqlConnection conn, DemoPortfolio.User user, String hash) {
    return conn.preparedQuery(INSERT_USER).execute(Tuple.of(user.username(), hash, user.role()))
        .compose(rows -> {
          if (rows.rowCount() == 0) {
            return Future.succeededFuture(false);
          }
          UUID userId = rows.iterator().next().getUUID("id");
          return user.account()
              .map(account -> insertAccount(conn, userId, account))
              .orElse(Future.succeededFuture())
              .map(true);
        });
  }

  private Future<Void> insertAccount(SqlConnection conn, UUID userId, DemoPortfolio.BrokerAccount account) {
    UUID accountId = UUID.randomUUID();
    byte[] secret = cipher.encrypt(account.apiSecret(), accountId.toString());
    Map<String, BigDecimal> prices = DemoPortfolio.OPENING_PRICES;
    List<Tuple> positions = account.holdings().stream()
        .map(h -> Tuple.of(accountId, userId, h.symbol(), h.qty(), h.side(), h.avgEntryPrice())
            .addValue(prices.get(h.symbol())))
        .toList();
    return conn.preparedQuery(INSERT_ACCOUNT)
        .execute(Tuple.of(accountId, userId, account.apiKeyId(), Buffer.buffer(secret)))
        .compose(v -> conn.preparedQuery(INSERT_POSITION).executeBatch(positions))
        .compose(v -> conn.preparedQuery(INSERT_SNAPSHOT).execute(Tuple.of(accountId,
            account.equity(prices), account.cash(), account.buyingPower(prices))))
        .mapEmpty();
  }
}
