package com.portfoliostream.ingest;

import com.portfoliostream.broker.accounts.BrokerAccount;
import com.portfoliostream.broker.accounts.BrokerAccountStore;
import com.portfoliostream.common.config.ConfigLoader;
import com.portfoliostream.common.config.NodeConfig;
import com.portfoliostream.common.db.Database;
import com.portfoliostream.common.db.PgPools;
import com.portfoliostream.common.demo.DemoSeeder;
import com.portfoliostream.common.security.CredentialCipher;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** An embedded PostgreSQL with the schema and the demo seeded, for ingest tests. */
public final class TestDatabase implements AutoCloseable {

  public final Database database;
  public final Map<String, String> settings;
  public final CredentialCipher cipher;

  private TestDatabase(Database database, Map<String, String> settings, CredentialCipher cipher) {
    this.database = database;
    this.settings = settings;
    this.cipher = cipher;
  }

  public static TestDatabase start() throws Exception {
    Path dataDir = Files.createTempDirectory("ingest-test");
    Map<String, String> settings = new HashMap<>();
    settings.put("DATA_DIR", dataDir.toString());
    settings.put("CREDENTIALS_KEY", CredentialCipher.generateKey());
    NodeConfig config = ConfigLoader.load(settings);
    Database database = Database.open(config);
    settings.put("DATABASE_URL", "postgresql://postgres@127.0.0.1:" + database.url().port() + "/"
        + database.url().database());
    return new TestDatabase(database, settings, CredentialCipher.fromConfig(config));
  }

  public Pool pool(Vertx vertx) {
    return PgPools.create(vertx, database.url(), 4);
  }

  public void seed(Vertx vertx, Pool pool) throws Exception {
    await(new DemoSeeder(vertx, pool, cipher).seed("test-password"));
  }

  public static BrokerAccount account(Pool pool, CredentialCipher cipher, String username) throws Exception {
    Row row = await(pool.preparedQuery("SELECT a.id FROM broker_accounts a JOIN users u ON u.id = a.user_id "
        + "WHERE u.username = $1").execute(Tuple.of(username))).iterator().next();
    return await(new BrokerAccountStore(pool, cipher).byId(row.getUUID("id")));
  }

  public static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    database.close();
  }
}
