package com.portfoliostream.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A portfolio node in its own JVM, started from the test classpath with the given main class, with
 * its output captured: the harness of the tests that kill, stop or freeze whole node processes.
 */
public final class NodeProcess implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(NodeProcess.class);

  private static final List<String> JVM_FLAGS = List.of(
      "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "-Xmx384m");

  private final Process process;
  private final List<String> lines = new ArrayList<>();
  private final String name;
  private volatile boolean outputEnded;

  private NodeProcess(String name, Process process) {
    this.name = name;
    this.process = process;
    Thread reader = new Thread(this::readOutput, name + "-output");
    reader.setDaemon(true);
    reader.start();
  }

  public static NodeProcess start(String name, Class<?> main, Map<String, String> env) throws IOException {
    return start(name, main, env, List.of());
  }

  /** Like {@link #start(String, Class, Map)} with more JVM flags (a later {@code -Xmx} wins). */
  public static NodeProcess start(String name, Class<?> main, Map<String, String> env, List<String> jvmFlags)
      throws IOException {
    return start(name, main, env, jvmFlags, List.of());
  }

  /** The JVM run through {@code launcher} (e.g. {@code ip netns exec A}): see the next overload. */
  public static NodeProcess start(List<String> launcher, String name, Class<?> main, Map<String, String> env,
      List<String> jvmFlags) throws IOException {
    return start(name, main, env, jvmFlags, launcher);
  }

  /**
   * Like {@link #start(String, Class, Map, List)}, the JVM run through {@code commandPrefix}: e.g.
   * {@link NetworkNamespaces.Namespace#prefix()} starts the node inside a network namespace. The
   * prefix must exec the JVM in its own process (as {@code ip netns exec} does), so that
   * {@link #pid()}, {@link #terminate()} and {@link #kill()} reach the node itself.
   */
  public static NodeProcess start(String name, Class<?> main, Map<String, String> env, List<String> jvmFlags,
      List<String> commandPrefix) throws IOException {
    List<String> command = new ArrayList<>(commandPrefix);
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(JVM_FLAGS);
    command.addAll(jvmFlags);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> k.matches("PORT|ADMIN_PORT|SIM_PORT|.*BIND_HOST|ALLOW_PUBLIC_DEMO|ROLES|DATA_DIR|DATABASE_URL|CLUSTER_.*|DEMO.*|CREDENTIALS_KEY|WEB_SIGNING_KEY|CONFIG_FILE"));
    builder.environment().putAll(env);
    return new NodeProcess(name, builder.start());
  }

  /**
   * Another program in a process of its own (a server our nodes are compared with, say), run in
   * {@code directory} with {@code env} added, its output captured and measured like a node's.
   */
  public static NodeProcess command(String name, List<String> command, Path directory, Map<String, String> env)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    return new NodeProcess(name, builder.start());
  }

  private void readOutput() {
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        LOG.info("[{}] {}", name, line);
        synchronized (lines) {
          lines.add(line);
          lines.notifyAll();
        }
      }
    } catch (IOException e) {
      // the process ended
    } finally {
      synchronized (lines) {
        outputEnded = true;
        lines.notifyAll();
      }
    }
  }

  /** Writes {@code line} to the process's standard input: a command to a driver that reads them. */
  public synchronized void tell(String line) throws IOException {
    process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().flush();
  }

  /** Waits for a line matching {@code regex}; fails with the output so far when it does not come. */
  public String awaitLine(String regex, Duration timeout) throws InterruptedException {
    return awaitLineAfter(0, regex, timeout);
  }

  /** Like {@link #awaitLine} but only among the lines printed after the first {@code from}. */
  public String awaitLineAfter(int from, String regex, Duration timeout) throws InterruptedException {
    Pattern pattern = Pattern.compile(regex);
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lines) {
      while (true) {
        for (String line : lines.subList(Math.min(from, lines.size()), lines.size())) {
          if (pattern.matcher(line).find()) {
            return line;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || outputEnded) {
          throw new AssertionError(name + ": no line matching /" + regex + "/ in:\n" + String.join("\n", lines));
        }
        lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(left, 200_000_000L))));
      }
    }
  }

  public List<String> output() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(name + " did not exit within " + timeout);
    }
    awaitOutputEnd(Duration.ofSeconds(5));
    return process.exitValue();
  }

  /** The operating system's id of the node's JVM, for measuring it (CPU, heap, sockets). */
  public long pid() {
    return process.pid();
  }

  /** Waits until every line the process printed has been read. */
  private void awaitOutputEnd(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lines) {
      while (!outputEnded && System.nanoTime() < deadline) {
        lines.wait(100);
      }
    }
  }

  /**
   * SIGTERM, as an orchestrator stops a node. Sent with kill(1): {@link Process#destroy()} would
   * also close our end of the node's output, and we want to read how it shuts down.
   */
  public void terminate() throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).inheritIO().start().waitFor();
  }

  /** SIGSTOP: the node stops dead, as in a hung host or a long pause; its sockets stay open. */
  public void freeze() throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-STOP", Long.toString(process.pid())).inheritIO().start().waitFor();
  }

  /** SIGCONT: a frozen node runs on from where it stopped. */
  public void thaw() throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-CONT", Long.toString(process.pid())).inheritIO().start().waitFor();
  }

  /** SIGKILL: the node dies at once, with no chance to release anything. */
  public void kill() throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-KILL", Long.toString(process.pid())).inheritIO().start().waitFor();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        thaw();
        terminate();
      } catch (IOException | InterruptedException e) {
        process.destroy();
      }
      try {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
