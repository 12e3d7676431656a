package com.portfoliostream.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.portfoliostream.common.config.ConfigLoader;
import com.portfoliostream.common.config.NodeConfig;
import com.portfoliostream.common.db.Database;
import com.portfoliostream.common.db.DatabaseUnavailableException;
import com.portfoliostream.common.db.DatabaseUrl;
import com.portfoliostream.common.db.PgPools;
import com.portfoliostream.common.security.CredentialCipher;
import com.portfoliostream.common.security.CredentialKeyCheck;
import com.portfoliostream.common.security.PasswordHashing;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@DisplayName("The database on embedded PostgreSQL")
class DatabaseTest {

  @TempDir static Path dataDir;
  static NodeConfig config;
  static Database database;
  static int firstStartMigrations;

  Pool pool;

  @BeforeAll
  static void startDatabase() {
    config = ConfigLoader.load(Map.of("DATA_DIR", dataDir.toString()));
    database = Database.open(config);
    firstStartMigrations = database.migrationsApplied();
  }

  @AfterAll
  static void stopDatabase() {
    database.close();
  }

  private Pool pool(Vertx vertx) {
    if (pool == null) {
      pool = PgPools.create(vertx, database.url(), 2);
    }
    return pool;
  }

  @Test
  @DisplayName("migrations apply to an empty database; a restart applies none and keeps the data")
  void restartKeepsData(Vertx vertx, VertxTestContext ctx) throws Throwable {
    assertThat(firstStartMigrations).isGreaterThanOrEqualTo(1);
    await(pool(vertx).preparedQuery("INSERT INTO users (username, password_hash, role) VALUES ($1, '$x', 'trader')")
        .execute(Tuple.of("carol")));
    await(pool.close());
    pool = null;
    database.close();

    database = Database.open(config);

    assertThat(database.migrationsApplied()).isZero();
    Row row = await(pool(vertx).preparedQuery("SELECT count(*) AS n FROM users WHERE username = $1")
        .execute(Tuple.of("carol"))).iterator().next();
    assertThat(row.getLong("n")).isEqualTo(1);
    ctx.completeNow();
  }

  @Test
  @DisplayName("the embedded database makes commits durable (fsync on)")
  void durableCommits(Vertx vertx, VertxTestContext ctx) throws Throwable {
    Row fsync = await(pool(vertx).query("SHOW fsync").execute()).iterator().next();
    Row sync = await(pool.query("SHOW synchronous_commit").execute()).iterator().next();

    assertThat(fsync.getString(0)).isEqualTo("on");
    assertThat(sync.getString(0)).isEqualTo("on");
    ctx.completeNow();
  }

  @Test
  @DisplayName("a node with another credentials key refuses the database")
  void keyCheck(Vertx vertx, VertxTestContext ctx) throws Throwable {
    CredentialCipher ours = CredentialCipher.fromConfig(config);
    await(CredentialKeyCheck.verifyOrInstall(pool(vertx), ours));
    await(CredentialKeyCheck.verifyOrInstall(pool, ours));

    CredentialCipher other = new CredentialCipher(Base64.getDecoder().decode(CredentialCipher.generateKey()));
    Throwable failure = awaitFailure(CredentialKeyCheck.verifyOrInstall(pool, other));

    assertThat(failure).hasMessageContaining("CREDENTIALS_KEY is not the key");
    ctx.completeNow();
  }

  @Test
  @DisplayName("constraints protect the data: unique ids, quantities, prices, ownership")
  void constraints(Vertx vertx, VertxTestContext ctx) throws Throwable {
    UUID user = await(pool(vertx).query("INSERT INTO users (username, password_hash, role) "
        + "VALUES ('dave', '$x', 'trader') RETURNING id").execute()).iterator().next().getUUID("id");
    UUID other = await(pool.query("INSERT INTO users (username, password_hash, role) "
        + "VALUES ('erin', '$x', 'trader') RETURNING id").execute()).iterator().next().getUUID("id");
    UUID account = UUID.randomUUID();
    await(pool.preparedQuery("INSERT INTO broker_accounts (id, user_id, environment, api_key_id, api_secret_cipher) "
        + "VALUES ($1, $2, 'paper', 'PKDAVE', '\\x00')").execute(Tuple.of(account, user)));
    String order = "INSERT INTO orders (id, account_id, user_id, client_order_id, symbol, side, type, "
        + "time_in_force, qty, filled_qty, limit_price) VALUES ($1, $2, $3, $4, $5, 'buy', $6, 'day', $7, $8, $9) ";
    UUID orderId = UUID.randomUUID();
    await(pool.preparedQuery(order).execute(Tuple.tuple(java.util.List.of(orderId, account, user, "coid-1",
        "AAPL", "market", new BigDecimal("10"), BigDecimal.ZERO)).addValue(null)));

    assertThat(sqlState(pool.preparedQuery(order).execute(Tuple.tuple(java.util.List.of(UUID.randomUUID(),
        account, user, "coid-1", "AAPL", "market", BigDecimal.ONE, BigDecimal.ZERO)).addValue(null))))
        .as("duplicate client_order_id").isEqualTo("23505");
    assertThat(sqlState(pool.preparedQuery(order).execute(Tuple.tuple(java.util.List.of(UUID.randomUUID(),
        account, user, "coid-2", "AAPL", "market", BigDecimal.ONE, new BigDecimal("2"))).addValue(null))))
        .as("filled more than ordered").isEqualTo("23514");
    assertThat(sqlState(pool.preparedQuery(order).execute(Tuple.tuple(java.util.List.of(UUID.randomUUID(),
        account, user, "coid-3", "AAPL", "limit", BigDecimal.ONE, BigDecimal.ZERO)).addValue(null))))
        .as("limit order without a limit price").isEqualTo("23514");
    assertThat(sqlState(pool.preparedQuery(order).execute(Tuple.tuple(java.util.List.of(UUID.randomUUID(),
        account, user, "coid-4", "AAPL", "market", new BigDecimal("-1"), BigDecimal.ZERO)).addValue(null))))
        .as("negative quantity").isEqualTo("23514");
    assertThat(sqlState(pool.preparedQuery(order).execute(Tuple.tuple(java.util.List.of(UUID.randomUUID(),
        account, other, "coid-5", "AAPL", "market", BigDecimal.ONE, BigDecimal.ZERO)).addValue(null))))
        .as("an order on someone else's account").isEqualTo("23503");

    String trade = "INSERT INTO trades (account_id, user_id, order_id, execution_id, symbol, side, qty, price, executed_at) "
        + "VALUES ($1, $2, $3, $4, 'AAPL', 'buy', $5, $6, now())";
    await(pool.preparedQuery(trade).execute(Tuple.of(account, user, orderId, "exec-1", BigDecimal.ONE, new BigDecimal("175.5"))));
    assertThat(sqlState(pool.preparedQuery(trade).execute(Tuple.of(account, user, orderId, "exec-1",
        BigDecimal.ONE, new BigDecimal("175.5"))))).as("a fill applied twice").isEqualTo("23505");
    assertThat(sqlState(pool.preparedQuery(trade).execute(Tuple.of(account, user, orderId, "exec-2",
        BigDecimal.ONE, BigDecimal.ZERO)))).as("a zero price").isEqualTo("23514");

    assertThat(sqlState(pool.preparedQuery("INSERT INTO order_jobs (order_id, kind, status) VALUES ($1, 'submit', 'running')")
        .execute(Tuple.of(orderId)))).as("a running job without a lease").isEqualTo("23514");
    assertThat(sqlState(pool.preparedQuery("INSERT INTO positions (account_id, user_id, symbol, qty, side, avg_entry_price) "
        + "VALUES ($1, $2, 'aapl', 1, 'long', 1)").execute(Tuple.of(account, user)))).as("a lower-case symbol").isEqualTo("23514");
    ctx.completeNow();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static Throwable awaitFailure(Future<?> future) throws Exception {
    try {
      await(future);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure");
  }

  private static String sqlState(Future<?> future) throws Exception {
    Throwable failure = awaitFailure(future);
    assertThat(failure).isInstanceOf(PgException.class);
    return ((PgException) failure).getSqlState();
  }

  @Test
  @DisplayName("sslmode=require against a server without TLS fails with a clear error, in JDBC and in the pool, never in cleartext")
  void requireWithoutServerTlsFails(Vertx vertx, VertxTestContext test) {
    String url = "postgresql://postgres@127.0.0.1:" + database.url().port() + "/" + database.url().database()
        + "?sslmode=require";
    NodeConfig required = ConfigLoader.load(Map.of("DATA_DIR", dataDir.toString(), "DATABASE_URL", url));

    assertThatThrownBy(() -> Database.open(required)).isInstanceOf(DatabaseUnavailableException.class)
        .hasMessageContaining("cannot reach the database at 127.0.0.1:" + database.url().port())
        .hasMessageContaining("SSL");
    Pool tlsPool = PgPools.create(vertx, DatabaseUrl.parse(url), 1);
    tlsPool.query("SELECT 1").execute().onComplete(test.failing(e -> test.verify(() -> {
      assertThat(e.getMessage()).containsIgnoringCase("ssl");
      tlsPool.close();
      test.completeNow();
    })));
  }
}
