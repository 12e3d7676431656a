package com.portfoliostream.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Hosts of their own for tests: two Linux network namespaces joined by a veth pair, each with an
 * address of one private /24 and its own loopback. A node started inside one (see
 * {@link NodeProcess#start(String, Class, java.util.Map, List, List)} with {@link Namespace#prefix()})
 * listens on that namespace's loopback and address only; a "stranger" in the other reaches it
 * only through the veth pair. Needs root ({@code ip netns}); {@link #unavailableReason()} says why
 * not, for a test to skip with. Closing deletes both namespaces (and with them the veth pair);
 * every name is unique per run, so a run never touches another's namespaces.
 */
public final class NetworkNamespaces implements AutoCloseable {

  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);

  private final Namespace first;
  private final Namespace second;

  private NetworkNamespaces(Namespace first, Namespace second) {
    this.first = first;
    this.second = second;
  }

  /** One namespace: its name and its address on the veth pair. */
  public record Namespace(String name, String address) {

    /** The command prefix that runs a program inside this namespace. */
    public List<String> prefix() {
      return List.of("ip", "netns", "exec", name);
    }

    /** Runs {@code command} inside the namespace and waits for it (at most {@code timeout}). */
    public Result exec(Duration timeout, String... command) {
      List<String> full = new ArrayList<>(prefix());
      full.addAll(List.of(command));
      return run(full, timeout);
    }

    /** Whether a TCP connection from inside this namespace to {@code host:port} is accepted within 3 s. */
    public boolean canConnect(String host, int port) {
      return exec(Duration.ofSeconds(10), "timeout", "3", "bash", "-c",
          "exec 3<>/dev/tcp/" + host + "/" + port).exitCode() == 0;
    }
  }

  /** How a command ended: its exit code and its output (stdout and stderr together). */
  public record Result(int exitCode, String output) {}

  /**
   * Why namespaces cannot be made here (not root, no {@code ip}, no CAP_SYS_ADMIN), or empty
   * when they can: found by making and deleting one.
   */
  public static Optional<String> unavailableReason() {
    String probe = uniqueName("probe");
    Result added = run(List.of("ip", "netns", "add", probe), COMMAND_TIMEOUT);
    if (added.exitCode() != 0) {
      return Optional.of("network namespaces cannot be created here (ip netns add: exit "
          + added.exitCode() + ", " + added.output().trim() + "); run as root");
    }
    run(List.of("ip", "netns", "del", probe), COMMAND_TIMEOUT);
    return Optional.empty();
  }

  /** Two fresh namespaces joined by a veth pair, addresses {@code 10.x.y.1} and {@code 10.x.y.2}. */
  public static NetworkNamespaces pair() {
    String base = uniqueName("pf");
    int x = ThreadLocalRandom.current().nextInt(64, 250);
    int y = ThreadLocalRandom.current().nextInt(1, 250);
    Namespace first = new Namespace(base + "a", "10." + x + "." + y + ".1");
    Namespace second = new Namespace(base + "b", "10." + x + "." + y + ".2");
    NetworkNamespaces pair = new NetworkNamespaces(first, second);
    try {
      pair.build(base);
      return pair;
    } catch (RuntimeException e) {
      pair.close();
      throw e;
    }
  }

  private void build(String base) {
    String firstLink = base + "va";
    String secondLink = base + "vb";
    must("ip", "netns", "add", first.name());
    must("ip", "netns", "add", second.name());
    must("ip", "link", "add", firstLink, "netns", first.name(), "type", "veth",
        "peer", "name", secondLink, "netns", second.name());
    for (Namespace ns : List.of(first, second)) {
      String link = ns == first ? firstLink : secondLink;
      mustIn(ns, "ip", "addr", "add", ns.address() + "/24", "dev", link);
      mustIn(ns, "ip", "link", "set", link, "up");
      mustIn(ns, "ip", "link", "set", "lo", "up");
    }
  }

  public Namespace first() {
    return first;
  }

  public Namespace second() {
    return second;
  }

  /** Deletes both namespaces; what ran inside them should have been stopped first. */
  @Override
  public void close() {
    for (Namespace ns : List.of(first, second)) {
      run(List.of("ip", "netns", "del", ns.name()), COMMAND_TIMEOUT);
    }
  }

  /** A name of at most 11 characters (so interface names derived from it fit Linux's 15). */
  private static String uniqueName(String prefix) {
    return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 11 - prefix.length());
  }

  private static void must(String... command) {
    Result result = run(List.of(command), COMMAND_TIMEOUT);
    if (result.exitCode() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed (exit " + result.exitCode()
          + "): " + result.output().trim());
    }
  }

  private static void mustIn(Namespace ns, String... command) {
    List<String> full = new ArrayList<>(ns.prefix());
    full.addAll(List.of(command));
    must(full.toArray(String[]::new));
  }

  private static Result run(List<String> command, Duration timeout) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        return new Result(-1, String.join(" ", command) + " timed out after " + timeout);
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      return new Result(-1, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new IOException("interrupted running " + command, e));
    }
  }
}
