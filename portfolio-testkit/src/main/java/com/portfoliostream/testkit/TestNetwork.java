package com.portfoliostream.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Hosts of their own for a test: network namespaces on one private /24, joined by a bridge that
 * lives in a namespace of its own (so the machine's own bridges and routes are never touched). The
 * root namespace, where the test runs, joins too, through one veth pair with the first address; the
 * hosts take the next ones. Needs root (CI runs as root); {@link #create} throws {@link Unavailable}
 * where namespaces cannot be made, and {@link #close} removes every namespace and link it made.
 */
public final class TestNetwork implements AutoCloseable {

  /** Namespaces cannot be created here (not root, no iproute2, a sandbox). */
  public static final class Unavailable extends Exception {
    Unavailable(String message) {
      super(message);
    }
  }

  private final String tag;
  private final String prefix;
  private final Map<String, String> namespaces = new LinkedHashMap<>();
  private final Map<String, String> addresses = new LinkedHashMap<>();

  private TestNetwork(String tag, String prefix) {
    this.tag = tag;
    this.prefix = prefix;
  }

  /** A network with the root namespace and one namespace per host name (lowercase letters). */
  public static TestNetwork create(String... hosts) throws Unavailable, IOException, InterruptedException {
    int n = ThreadLocalRandom.current().nextInt(10_000);
    TestNetwork network = new TestNetwork(String.format("pfc%04d", n), "10." + (200 + n % 50) + "." + (n / 50) + ".");
    try {
      network.build(hosts);
    } catch (IOException | RuntimeException e) {
      network.close();
      throw new Unavailable("cannot create network namespaces here: " + e.getMessage());
    }
    return network;
  }

  private void build(String[] hosts) throws IOException, InterruptedException {
    String lan = tag + "-lan";
    addNamespace(lan);
    ip("-n", lan, "link", "add", "br0", "type", "bridge");
    ip("-n", lan, "link", "set", "br0", "up");
    join(lan, null, tag + "r", prefix + 1);
    for (int i = 0; i < hosts.length; i++) {
      String namespace = tag + "-" + hosts[i];
      addNamespace(namespace);
      namespaces.put(hosts[i], namespace);
      join(lan, namespace, tag + hosts[i], prefix + (2 + i));
      addresses.put(hosts[i], prefix + (2 + i));
    }
  }

  private void addNamespace(String namespace) throws IOException, InterruptedException {
    ip("netns", "add", namespace);
    namespaces.putIfAbsent("#" + namespace, namespace);
    ip("-n", namespace, "link", "set", "lo", "up");
  }

  /** A veth pair from {@code namespace} (null: the root namespace) to the LAN's bridge. */
  private void join(String lan, String namespace, String link, String address) throws IOException, InterruptedException {
    String bridgeEnd = link + "b";
    ip("link", "add", link, "type", "veth", "peer", "name", bridgeEnd);
    ip("link", "set", bridgeEnd, "netns", lan);
    ip("-n", lan, "link", "set", bridgeEnd, "master", "br0");
    ip("-n", lan, "link", "set", bridgeEnd, "up");
    List<String> in = new ArrayList<>();
    if (namespace != null) {
      ip("link", "set", link, "netns", namespace);
      in = List.of("-n", namespace);
    }
    ip(concat(in, "addr", "add", address + "/24", "dev", link));
    ip(concat(in, "link", "set", link, "up"));
  }

  /** The root namespace's address on this network: the test's own JVM. */
  public String rootAddress() {
    return prefix + 1;
  }

  public String address(String host) {
    return addresses.get(host);
  }

  /**
   * Takes {@code host}'s link down, as a pulled cable or a partition: nothing it sends arrives and
   * nothing reaches it, and no connection is told so, until {@link #mend}.
   */
  public void cut(String host) throws IOException, InterruptedException {
    ip("-n", namespaces.get(host), "link", "set", tag + host, "down");
  }

  /** Brings {@code host}'s link up again after {@link #cut}. */
  public void mend(String host) throws IOException, InterruptedException {
    ip("-n", namespaces.get(host), "link", "set", tag + host, "up");
  }

  /**
   * Partitions {@code a} and {@code b} from each other only: a blackhole route to the other's
   * address on each side, so nothing either sends the other leaves its host: the peer hears nothing
   * (no reset, no ICMP), the sender's kernel refuses new connections at once (EINVAL) and keeps
   * retransmitting on open ones, while both still reach every other address (the root namespace,
   * the other hosts) as before. Undone by {@link #heal}; open connections resume as TCP retransmits.
   */
  public void partition(String a, String b) throws IOException, InterruptedException {
    ip("-n", namespaces.get(a), "route", "add", "blackhole", address(b) + "/32");
    ip("-n", namespaces.get(b), "route", "add", "blackhole", address(a) + "/32");
  }

  /** Removes the blackhole routes of {@link #partition}. */
  public void heal(String a, String b) throws IOException, InterruptedException {
    ip("-n", namespaces.get(a), "route", "del", "blackhole", address(b) + "/32");
    ip("-n", namespaces.get(b), "route", "del", "blackhole", address(a) + "/32");
  }

  /** Prepended to a command to run it on {@code host}. */
  public List<String> launcher(String host) {
    return List.of("ip", "netns", "exec", namespaces.get(host));
  }

  @Override
  public void close() {
    for (Map.Entry<String, String> entry : namespaces.entrySet()) {
      if (entry.getKey().startsWith("#")) {
        quietly("ip", "netns", "del", entry.getValue());
      }
    }
    quietly("ip", "link", "del", tag + "r");
  }

  private static String[] concat(List<String> head, String... tail) {
    List<String> all = new ArrayList<>(head);
    all.addAll(List.of(tail));
    return all.toArray(String[]::new);
  }

  private static void ip(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("ip"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + ": " + output);
    }
  }

  private static void quietly(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (IOException e) {
      // nothing to remove
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
