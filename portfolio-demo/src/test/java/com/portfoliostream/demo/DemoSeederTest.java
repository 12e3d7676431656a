package com.portfoliostream.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.common.config.ConfigLoader;
import com.portfoliostream.common.config.NodeConfig;
import com.portfoliostream.common.db.Database;
import com.portfoliostream.common.db.PgPools;
import com.portfoliostream.common.security.CredentialCipher;
import com.portfoliostream.common.security.PasswordHashing;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@DisplayName("The demo seeder on embedded PostgreSQL")
class DemoSeederTest {

  @TempDir static Path dataDir;
  static NodeConfig config;
  static Database database;

  @BeforeAll
  static void startDatabase() {
    config = ConfigLoader.load(Map.of("DATA_DIR", dataDir.toString()));
    database = Database.open(config);
  }

  @AfterAll
  static void stopDatabase() {
    database.close();
  }

  @Test
  @DisplayName("the demo is seeded once, with encrypted credentials and hashed passwords")
  void demoSeededOnce(Vertx vertx, VertxTestContext ctx) throws Throwable {
    CredentialCipher cipher = CredentialCipher.fromConfig(config);
    Pool pool = PgPools.create(vertx, database.url(), 2);
    DemoSeeder seeder = new DemoSeeder(vertx, pool, cipher);

    var created = await(seeder.seed("demo-pass"));
    var again = await(seeder.seed("demo-pass"));

    assertThat(created).containsExactlyInAnyOrder("alice", "bob", "admin");
    assertThat(again).isEmpty();
    Row alice = await(pool.query("SELECT u.password_hash, a.id, a.api_key_id, a.api_secret_cipher, "
        + "(SELECT count(*) FROM positions p WHERE p.user_id = u.id) AS positions "
        + "FROM users u JOIN broker_accounts a ON a.user_id = u.id WHERE u.username = 'alice'").execute())
        .iterator().next();
    DemoPortfolio.BrokerAccount demoAlice = DemoPortfolio.USERS.get(0).account().orElseThrow();
    assertThat(alice.getLong("positions")).isEqualTo(demoAlice.holdings().size());
    assertThat(alice.getString("api_key_id")).isEqualTo(demoAlice.apiKeyId());
    byte[] sealed = alice.getBuffer("api_secret_cipher").getBytes();
    assertThat(new String(sealed, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(demoAlice.apiSecret());
    assertThat(cipher.decrypt(sealed, alice.getUUID("id").toString())).isEqualTo(demoAlice.apiSecret());
    assertThat(new PasswordHashing().verify(alice.getString("password_hash"), "demo-pass")).isTrue();
    Row equity = await(pool.query("SELECT s.equity, s.last_equity FROM account_snapshots s "
        + "JOIN broker_accounts a ON a.id = s.account_id JOIN users u ON u.id = a.user_id "
        + "WHERE u.username = 'alice'").execute()).iterator().next();
    assertThat(equity.getBigDecimal("equity")).isEqualByComparingTo(demoAlice.equity(DemoPortfolio.OPENING_PRICES));
    ctx.completeNow();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
