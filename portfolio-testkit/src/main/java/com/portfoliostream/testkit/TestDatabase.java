package com.portfoliostream.testkit;

import com.portfoliostream.common.config.ConfigLoader;
import com.portfoliostream.common.config.NodeConfig;
import com.portfoliostream.common.db.Database;
import com.portfoliostream.common.db.PgPools;
import com.portfoliostream.common.security.CredentialCipher;
import com.portfoliostream.demo.DemoSeeder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The embedded test database: a PostgreSQL of its own in a temporary folder, migrated, with a fresh
 * credentials key. {@link #settings()} are what a node (in this JVM or another) needs to use it.
 */
public final class TestDatabase implements AutoCloseable {

  /** The demo users' password in tests. */
  public static final String PASSWORD = "test-password";

  private final Path dataDir;
  private final Database database;
  private final Map<String, String> settings;
  private final CredentialCipher cipher;

  private TestDatabase(Path dataDir, Database database, Map<String, String> settings, CredentialCipher cipher) {
    this.dataDir = dataDir;
    this.database = database;
    this.settings = Map.copyOf(settings);
    this.cipher = cipher;
  }

  public static TestDatabase start() throws IOException {
    Path dataDir = Files.createTempDirectory("portfolio-test");
    Map<String, String> settings = new HashMap<>();
    settings.put("DATA_DIR", dataDir.toString());
    settings.put("CREDENTIALS_KEY", CredentialCipher.generateKey());
    NodeConfig config = ConfigLoader.load(settings);
    Database database = Database.open(config);
    settings.put("DATABASE_URL", "postgresql://postgres@127.0.0.1:" + database.url().port() + "/"
        + database.url().database());
    return new TestDatabase(dataDir, database, settings, CredentialCipher.fromConfig(config));
  }

  /** DATA_DIR, CREDENTIALS_KEY and DATABASE_URL of this database. */
  public Map<String, String> settings() {
    return settings;
  }

  public Database database() {
    return database;
  }

  public CredentialCipher cipher() {
    return cipher;
  }

  public Pool pool(Vertx vertx) {
    return PgPools.create(vertx, database.url(), 4);
  }

  /** A pool whose sessions are named {@code sessionName}: a node's, named by its cluster node id. */
  public Pool pool(Vertx vertx, String sessionName) {
    return PgPools.create(vertx, database.url(), 4, sessionName);
  }

  /** Writes the demo users (password {@link #PASSWORD}), their accounts and portfolios. */
  public void seedDemo(Vertx vertx, Pool pool) throws Exception {
    await(new DemoSeeder(vertx, pool, cipher).seed(PASSWORD));
  }

  /**
   * Forwards {@code host}:(a free port) to this database on loopback: how nodes in network
   * namespaces of their own reach it. A connection closed on one side closes the other, so a node
   * that dies ends its database sessions with it.
   */
  public NetServer relay(Vertx vertx, String host) throws Exception {
    NetClient client = vertx.createNetClient();
    int databasePort = database.url().port();
    return await(vertx.createNetServer().connectHandler(incoming -> {
      incoming.pause();
      client.connect(databasePort, "127.0.0.1").onSuccess(outgoing -> {
        incoming.pipeTo(outgoing);
        outgoing.pipeTo(incoming);
        incoming.resume();
      }).onFailure(e -> incoming.close());
    }).listen(0, host));
  }

  /** DATABASE_URL of this database through a {@link #relay} on {@code host}. */
  public String urlThrough(NetServer relay, String host) {
    return "postgresql://postgres@" + host + ":" + relay.actualPort() + "/" + database.url().database();
  }

  public static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws IOException {
    database.close();
    deleteTree(dataDir);
  }

  /** Deletes a folder and everything under it (a node's DATA_DIR after its test). */
  static void deleteTree(java.nio.file.Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
