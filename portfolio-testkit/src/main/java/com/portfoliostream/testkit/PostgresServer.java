package com.portfoliostream.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.TimeUnit;


/**
 * The embedded PostgreSQL of a data folder, stopped and started again as an operator would:
 * {@code pg_ctl stop -m fast} (every session is disconnected), then {@code pg_ctl start} on the
 * same data, port and settings. For tests of a database outage. The running server's own command
 * line (from its {@code postmaster.pid} and {@code /proc}) says where its binaries are and how it
 * was started. As the embedded library does, {@code pg_ctl} runs under {@code unshare -U} where
 * that is available: PostgreSQL refuses to run as root, which CI is.
 */
public final class PostgresServer {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private final Path pgData;
  private List<String> commandLine;

  private PostgresServer(Path pgData) {
    this.pgData = pgData;
  }

  /** The server on {@code DATA_DIR}/postgres, which must be running. */
  public static PostgresServer ofDataDir(Path dataDir) throws IOException {
    PostgresServer server = new PostgresServer(dataDir.resolve("postgres"));
    server.commandLine = server.runningCommandLine();
    return server;
  }

  /** Stops the server (a fast shutdown: what a restart does to clients); returns once it is gone. */
  public void stop() throws IOException, InterruptedException {
    commandLine = runningCommandLine();
    pgCtl(List.of("-D", pgData.toString(), "-m", "fast", "-w", "stop"));
  }

  /** Starts it again on the same data with the options it had; returns once it accepts connections. */
  public void start() throws IOException, InterruptedException {
    List<String> options = commandLine.subList(3, commandLine.size());
    pgCtl(List.of("-D", pgData.toString(), "-o", String.join(" ", options),
        "-l", pgData.resolveSibling("postgres-restarted.log").toString(), "-w", "start"));
  }

  /** {@code .../bin/postgres -D <data> <options...>}, as the running postmaster was started. */
  private List<String> runningCommandLine() throws IOException {
    String pid = Files.readAllLines(pgData.resolve("postmaster.pid")).get(0).trim();
    byte[] raw = Files.readAllBytes(Path.of("/proc", pid, "cmdline"));
    List<String> args = new ArrayList<>(Arrays.asList(new String(raw, StandardCharsets.UTF_8).split("\0")));
    if (args.size() < 3 || !args.get(1).equals("-D")) {
      throw new IOException("unexpected PostgreSQL command line: " + args);
    }
    return List.copyOf(args);
  }

  private void pgCtl(List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    if (isRoot()) {
      command.addAll(List.of("unshare", "-U"));
    }
    command.add(Path.of(commandLine.get(0)).resolveSibling("pg_ctl").toString());
    command.addAll(args);
    Path output = Files.createTempFile("pg_ctl", ".log");
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
      if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IOException("pg_ctl " + args + " failed: " + Files.readString(output).strip());
      }
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }
}
