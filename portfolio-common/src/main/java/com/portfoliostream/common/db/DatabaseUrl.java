package com.portfoliostream.common.db;

import com.portfoliostream.common.config.BindAddresses;
import com.portfoliostream.common.config.ConfigException;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Where the database is, how to log in and how to protect the connection: read from a
 * {@code postgresql://} (or {@code postgres://}, {@code jdbc:postgresql://}) URL, handed to the
 * reactive client and, for migrations only, to JDBC, both with the same TLS settings: libpq's
 * {@code sslmode} (disable, allow, prefer, require, verify-ca, verify-full) and {@code sslrootcert}
 * (a PEM file of the certificates that may sign the server's). Without {@code sslmode} each driver
 * keeps its own default. {@link #toString()} never shows the password.
 */
public record DatabaseUrl(String host, int port, String database, String user, String password,
    Optional<SslMode> sslMode, Optional<Path> sslRootCert) {

  public static final String SSL_MODE = "sslmode";
  public static final String SSL_ROOT_CERT = "sslrootcert";

  /** A URL without TLS settings (the embedded database on loopback). */
  public DatabaseUrl(String host, int port, String database, String user, String password) {
    this(host, port, database, user, password, Optional.empty(), Optional.empty());
  }

  public static DatabaseUrl parse(String url) {
    String uri = url.trim().startsWith("jdbc:") ? url.trim().substring("jdbc:".length()) : url.trim();
    Map<String, String> query = query(uri);
    Optional<SslMode> sslMode = Optional.ofNullable(query.get(SSL_MODE)).map(DatabaseUrl::sslMode);
    Optional<Path> rootCert = Optional.ofNullable(query.get(SSL_ROOT_CERT)).map(DatabaseUrl::rootCert);
    PgConnectOptions options;
    try {
      options = PgConnectOptions.fromUri(withoutQuery(uri));
    } catch (RuntimeException e) {
      throw new ConfigException("DATABASE_URL is not a postgresql://user:password@host:port/database URL");
    }
    if (!namesDatabase(uri)) {
      throw new ConfigException("DATABASE_URL must name a database, e.g. postgresql://user:password@host:5432/portfolio");
    }
    if (rootCert.isPresent() && sslMode.isEmpty()) {
      throw new ConfigException("DATABASE_URL has sslrootcert but no sslmode: add sslmode=verify-full (or verify-ca)");
    }
    if (sslMode.map(m -> m == SslMode.VERIFY_CA || m == SslMode.VERIFY_FULL).orElse(false) && rootCert.isEmpty()) {
      throw new ConfigException("DATABASE_URL sslmode=" + query.get(SSL_MODE)
          + " verifies the server's certificate: add sslrootcert=<PEM file of the signing certificates>");
    }
    return new DatabaseUrl(options.getHost(), options.getPort(), options.getDatabase(),
        options.getUser(), options.getPassword(), sslMode, rootCert);
  }

  private static SslMode sslMode(String value) {
    try {
      return SslMode.of(value.toLowerCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw new ConfigException("DATABASE_URL sslmode must be disable, allow, prefer, require, verify-ca or verify-full, got '"
          + value + "'");
    }
  }

  private static Path rootCert(String value) {
    Path path = Path.of(value);
    if (!Files.isReadable(path)) {
      throw new ConfigException("DATABASE_URL sslrootcert " + value + " is not a readable file");
    }
    return path;
  }

  /** The URL's parameters; only the TLS ones are known, any other is refused rather than dropped. */
  private static Map<String, String> query(String uri) {
    int start = uri.indexOf('?');
    Map<String, String> params = new LinkedHashMap<>();
    if (start < 0) {
      return params;
    }
    for (String pair : uri.substring(start + 1).split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      if (!name.equals(SSL_MODE) && !name.equals(SSL_ROOT_CERT)) {
        throw new ConfigException("DATABASE_URL has an unknown parameter '" + name + "'; known: sslmode, sslrootcert");
      }
      params.put(name, URLDecoder.decode(eq < 0 ? "" : pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return params;
  }

  private static String withoutQuery(String uri) {
    int start = uri.indexOf('?');
    return start < 0 ? uri : uri.substring(0, start);
  }

  /** Vert.x fills in a default database when the URL has none; we want the operator to choose. */
  private static boolean namesDatabase(String uri) {
    String bare = withoutQuery(uri);
    int hostStart = bare.indexOf("://");
    int pathStart = hostStart < 0 ? -1 : bare.indexOf('/', hostStart + 3);
    return pathStart >= 0 && !bare.substring(pathStart + 1).isBlank();
  }

  /** Whether the connection is certain to be encrypted: sslmode require, verify-ca or verify-full. */
  public boolean requiresTls() {
    return sslMode.map(m -> m == SslMode.REQUIRE || m == SslMode.VERIFY_CA || m == SslMode.VERIFY_FULL).orElse(false);
  }

  /** A database off this machine reached without certain TLS: worth a warning at start. */
  public boolean cleartextOffHost() {
    return !requiresTls() && !BindAddresses.isLoopback(host);
  }

  public PgConnectOptions connectOptions() {
    PgConnectOptions options = new PgConnectOptions()
        .setHost(host).setPort(port).setDatabase(database).setUser(user)
        .setReconnectAttempts(2)
        .setReconnectInterval(500);
    if (password != null) {
      options.setPassword(password);
    }
    sslMode.ifPresent(mode -> {
      options.setSslMode(mode);
      options.setSslOptions(sslOptions(mode));
    });
    return options;
  }

  /**
   * As libpq: verify-full checks the chain and the host name, verify-ca the chain only, and the
   * weaker modes encrypt without checking unless a root certificate is given.
   */
  private ClientSSLOptions sslOptions(SslMode mode) {
    ClientSSLOptions ssl = new ClientSSLOptions();
    if (sslRootCert.isPresent()) {
      ssl.setTrustOptions(new PemTrustOptions().addCertPath(sslRootCert.get().toString()));
    } else {
      ssl.setTrustAll(true);
    }
    ssl.setHostnameVerificationAlgorithm(mode == SslMode.VERIFY_FULL ? "HTTPS" : "");
    return ssl;
  }

  /** The JDBC URL for migrations, with the same TLS parameters as the pool. */
  public String jdbcUrl() {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("connectTimeout", "5");
    sslMode.ifPresent(mode -> params.put(SSL_MODE, mode.value));
    sslRootCert.ifPresent(path -> params.put(SSL_ROOT_CERT, path.toString()));
    return "jdbc:postgresql://" + host + ":" + port + "/" + database + "?" + params.entrySet().stream()
        .map(p -> p.getKey() + "=" + URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  public Properties jdbcProperties() {
    Properties properties = new Properties();
    if (user != null) {
      properties.setProperty("user", user);
    }
    if (password != null) {
      properties.setProperty("password", password);
    }
    properties.setProperty("ApplicationName", "portfolio-node");
    return properties;
  }

  /** The address without credentials, for logs and error messages. */
  public String describe() {
    return host + ":" + port + "/" + database;
  }

  @Override
  public String toString() {
    return "DatabaseUrl[" + user + "@" + describe() + sslMode.map(m -> ", sslmode=" + m.value).orElse("") + "]";
  }
}
