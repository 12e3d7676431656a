package com.portfoliostream.common.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the schema up to date with Flyway, over JDBC (the only JDBC use: the running code talks
 * to PostgreSQL through the reactive client). Blocking: call it before any event loop depends on
 * it, or from a worker.
 */
public final class Migrations {

  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  private Migrations() {}

  /** Applies pending migrations and returns how many ran (0 when the schema is current). */
  public static int migrate(DatabaseUrl url) {
    checkReachable(url);
    Flyway flyway = Flyway.configure()
        .dataSource(url.jdbcUrl(), url.user(), url.password())
        .locations("classpath:db/migration")
        .validateMigrationNaming(true)
        .load();
    MigrateResult result = flyway.migrate();
    LOG.info("Database {} schema at version {} ({} migrations applied now)",
        url.describe(), flyway.info().current().getVersion(), result.migrationsExecuted);
    return result.migrationsExecuted;
  }

  /** Fails with one line naming the database when it cannot be reached or logged into. */
  public static void checkReachable(DatabaseUrl url) {
    try (Connection ignored = DriverManager.getConnection(url.jdbcUrl(), url.jdbcProperties())) {
      LOG.debug("Database {} reachable", url.describe());
    } catch (SQLException e) {
      throw new DatabaseUnavailableException(
          "cannot reach the database at " + url.describe() + ": " + firstLine(e.getMessage()), e);
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
