package com.portfoliostream.common.db;

import com.portfoliostream.common.config.NodeConfig;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's database: the one at {@code DATABASE_URL}, or the embedded one in {@code DATA_DIR}.
 * Opening it checks that it is reachable and applies migrations, so what follows can rely on the
 * schema.
 */
public final class Database implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Database.class);
  private final DatabaseUrl url;
  private final Optional<EmbeddedDatabase> embedded;
  private final int migrationsApplied;

  private Database(DatabaseUrl url, Optional<EmbeddedDatabase> embedded, int migrationsApplied) {
    this.url = url;
    this.embedded = embedded;
    this.migrationsApplied = migrationsApplied;
  }

  /** Blocking: starts or joins the embedded server when needed, then migrates. */
  public static Database open(NodeConfig config) {
    if (config.databaseUrl().isPresent()) {
      DatabaseUrl url = DatabaseUrl.parse(config.databaseUrl().get());
      if (url.cleartextOffHost()) {
        LOG.warn("Database {} is off this machine and DATABASE_URL does not require TLS ({}): add "
            + "sslmode=verify-full&sslrootcert=<PEM file> to DATABASE_URL", url.describe(),
            url.sslMode().map(m -> "sslmode=" + m.value).orElse("no sslmode"));
      }
      return new Database(url, Optional.empty(), Migrations.migrate(url));
    }
    EmbeddedDatabase embedded = EmbeddedDatabase.startOrJoin(config.dataDir());
    try {
      return new Database(embedded.url(), Optional.of(embedded), Migrations.migrate(embedded.url()));
    } catch (RuntimeException e) {
      embedded.close();
      throw e;
    }
  }

  public DatabaseUrl url() {
    return url;
  }

  /** How many migrations this start applied: 0 when the schema was already current. */
  public int migrationsApplied() {
    return migrationsApplied;
  }

  public boolean isEmbedded() {
    return embedded.isPresent();
  }

  @Override
  public void close() {
    embedded.ifPresent(EmbeddedDatabase::close);
  }
}
