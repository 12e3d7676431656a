package com.portfoliostream.common.db;

import com.portfoliostream.common.config.ConfigException;
import io.vertx.pgclient.PgConnectOptions;
import java.util.Properties;

/**
 * Where the database is and how to log in: read from a {@code postgresql://} (or
 * {@code postgres://}, {@code jdbc:postgresql://}) URL, handed to the reactive client and, for
 * migrations only, to JDBC. {@link #toString()} never shows the password.
 */
public record DatabaseUrl(String host, int port, String database, String user, String password) {

  public static DatabaseUrl parse(String url) {
    String uri = url.trim().startsWith("jdbc:") ? url.trim().substring("jdbc:".length()) : url.trim();
    PgConnectOptions options;
    try {
      options = PgConnectOptions.fromUri(uri);
    } catch (RuntimeException e) {
      throw new ConfigException("DATABASE_URL is not a postgresql://user:password@host:port/database URL");
    }
    if (!namesDatabase(uri)) {
      throw new ConfigException("DATABASE_URL must name a database, e.g. postgresql://user:password@host:5432/portfolio");
    }
    return new DatabaseUrl(options.getHost(), options.getPort(), options.getDatabase(),
        options.getUser(), options.getPassword());
  }

  /** Vert.x fills in a default database when the URL has none; we want the operator to choose. */
  private static boolean namesDatabase(String uri) {
    int hostStart = uri.indexOf("://");
    int pathStart = hostStart < 0 ? -1 : uri.indexOf('/', hostStart + 3);
    if (pathStart < 0) {
      return false;
    }
    int queryStart = uri.indexOf('?', pathStart);
    String path = queryStart < 0 ? uri.substring(pathStart + 1) : uri.substring(pathStart + 1, queryStart);
    return !path.isBlank();
  }

  public PgConnectOptions connectOptions() {
    PgConnectOptions options = new PgConnectOptions()
        .setHost(host).setPort(port).setDatabase(database).setUser(user)
        .setReconnectAttempts(2)
        .setReconnectInterval(500);
    if (password != null) {
      options.setPassword(password);
    }
    return options;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  public Properties jdbcProperties() {
    Properties properties = new Properties();
    if (user != null) {
      properties.setProperty("user", user);
    }
    if (password != null) {
      properties.setProperty("password", password);
    }
    properties.setProperty("connectTimeout", "5");
    properties.setProperty("ApplicationName", "portfolio-node");
    return properties;
  }

  /** The address without credentials, for logs and error messages. */
  public String describe() {
    return host + ":" + port + "/" + database;
  }

  @Override
  public String toString() {
    return "DatabaseUrl[" + user + "@" + describe() + "]";
  }
}
