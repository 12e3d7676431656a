package com.portfoliostream.common.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server whose data lives in {@code DATA_DIR/postgres} and survives restarts. The
 * first node on a data folder starts it and owns it; another node on the same folder (a second
 * node on a laptop) connects to the running one. A server left behind by a killed node is stopped
 * before a new one starts on its data.
 */
public final class EmbeddedDatabase implements AutoCloseable {

  public static final String DATABASE = "portfolio";
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
  private static final String LOCK_FILE = "embedded-postgres.lock";
  private static final String PORT_FILE = "embedded-postgres.port";
  private static final Duration JOIN_WAIT = Duration.ofSeconds(60);

  private final DatabaseUrl url;
  private final EmbeddedPostgres server;
  private final FileChannel lockChannel;
  private final Path portFile;

  private EmbeddedDatabase(DatabaseUrl url, EmbeddedPostgres server, FileChannel lockChannel, Path portFile) {
    this.url = url;
    this.server = server;
    this.lockChannel = lockChannel;
    this.portFile = portFile;
  }

  /** Starts the server for {@code dataDir}, or joins the one another node runs there. */
  public static EmbeddedDatabase startOrJoin(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
      FileChannel channel = FileChannel.open(dataDir.resolve(LOCK_FILE),
          StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        return join(dataDir);
      }
      return start(dataDir, channel);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot use DATA_DIR " + dataDir + ": " + e.getMessage(), e);
    }
  }

  private static EmbeddedDatabase start(Path dataDir, FileChannel lockChannel) throws IOException {
    Path pgData = dataDir.resolve("postgres");
    stopOrphanedServer(pgData);
    EmbeddedPostgres server = EmbeddedPostgres.builder()
        .setDataDirectory(pgData)
        .setCleanDataDirectory(false)
        .setPGStartupWait(Duration.ofSeconds(60))
        // Stopped by the node's own shutdown, after it drained (DRAIN_SECONDS) and closed its
        // sockets: the library's hook would stop it at the first signal, under a draining node.
        // An orphan left by a killed JVM is stopped at the next start (stopOrphanedServer).
        .setRegisterShutdownHook(false)
        // The library tunes for throwaway test databases (fsync off); this one is the system of
        // record, so commits are made durable.
        .setServerConfig("fsync", "on")
        .setServerConfig("synchronous_commit", "on")
        .setServerConfig("full_page_writes", "on")
        .start();
    DatabaseUrl url = new DatabaseUrl("127.0.0.1", server.getPort(), DATABASE, "postgres", null);
    createDatabaseIfAbsent(server.getPort());
    Path portFile = dataDir.resolve(PORT_FILE);
    Files.writeString(portFile, Integer.toString(server.getPort()), StandardCharsets.UTF_8);
    LOG.info("Embedded PostgreSQL started on 127.0.0.1:{} with data in {}", server.getPort(), pgData);
    return new EmbeddedDatabase(url, server, lockChannel, portFile);
  }

  private static EmbeddedDatabase join(Path dataDir) throws IOException {
    Path portFile = dataDir.resolve(PORT_FILE);
    long deadline = System.nanoTime() + JOIN_WAIT.toNanos();
    while (!Files.exists(portFile) && System.nanoTime() < deadline) {
      sleep(200);
    }
    if (!Files.exists(portFile)) {
      throw new IllegalStateException("another node holds DATA_DIR " + dataDir
          + " but its embedded PostgreSQL did not come up; use another DATA_DIR or DATABASE_URL");
    }
    int port = Integer.parseInt(Files.readString(portFile).trim());
    LOG.info("Using the embedded PostgreSQL of another node in {} (127.0.0.1:{})", dataDir, port);
    return new EmbeddedDatabase(new DatabaseUrl("127.0.0.1", port, DATABASE, "postgres", null), null, null, null);
  }

  private static void createDatabaseIfAbsent(int port) {
    String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    try (Connection c = DriverManager.getConnection(url, "postgres", "");
         Statement s = c.createStatement()) {
      var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'");
      if (!rs.next()) {
        s.execute("CREATE DATABASE " + DATABASE);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the " + DATABASE + " database: " + e.getMessage(), e);
    }
  }

  /** A postmaster from a node that died without stopping it still holds the data folder. */
  private static void stopOrphanedServer(Path pgData) throws IOException {
    Path pidFile = pgData.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
    Optional<ProcessHandle> process = first.matches("\\d+")
        ? ProcessHandle.of(Long.parseLong(first)) : Optional.empty();
    if (process.isEmpty() || !process.get().isAlive() || !isPostgres(process.get())) {
      return;
    }
    LOG.warn("Stopping PostgreSQL (pid {}) left running on {} by a node that died", first, pgData);
    new ProcessBuilder("kill", "-INT", first).inheritIO().start();
    try {
      process.get().onExit().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("PostgreSQL pid " + first + " on " + pgData + " did not stop", e);
    }
  }

  private static boolean isPostgres(ProcessHandle process) {
    return process.info().command().map(c -> c.contains("postgres")).orElse(false);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the embedded database", e);
    }
  }

  public DatabaseUrl url() {
    return url;
  }

  /** Stops the server if this node started it; a node that joined leaves it running. */
  @Override
  public void close() {
    if (server == null) {
      return;
    }
    try {
      Files.deleteIfExists(portFile);
      server.close();
      lockChannel.close();
      LOG.info("Embedded PostgreSQL stopped");
    } catch (IOException e) {
      LOG.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
    }
  }
}
