package com.portfoliostream.testkit;

import com.portfoliostream.common.db.Database;
import com.portfoliostream.common.security.CredentialCipher;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Node processes (each its own JVM) forming one cluster of their own on loopback, on one database
 * with the demo seeded by whichever starts first: the harness of the tests that kill, stop or
 * restart whole nodes. Closing it stops every node it started.
 */
public final class ProcessCluster implements AutoCloseable {

  /** How long a node process may take to print that it is up (a cold JVM on a busy machine). */
  public static final Duration START = Duration.ofSeconds(90);

  private final Class<?> main;
  private final List<Integer> clusterPorts = new ArrayList<>();
  private final Map<String, String> shared = new HashMap<>();
  private final List<NodeProcess> started = new ArrayList<>();

  private ProcessCluster(Class<?> main) {
    this.main = main;
  }

  /**
   * A cluster of up to {@code members} nodes named {@code name}-uuid, on {@code database}; the
   * test itself may join as one of the members (see {@link #clusterPort}).
   */
  public static ProcessCluster of(Class<?> main, String name, int members, Database database) {
    ProcessCluster cluster = new ProcessCluster(main);
    for (int i = 0; i < members; i++) {
      cluster.clusterPorts.add(FreePorts.free());
    }
    cluster.shared.put("DATABASE_URL", "postgresql://postgres@127.0.0.1:" + database.url().port() + "/"
        + database.url().database());
    cluster.shared.put("CREDENTIALS_KEY", CredentialCipher.generateKey());
    cluster.shared.put("CLUSTER_NAME", name + "-" + UUID.randomUUID());
    cluster.shared.put("CLUSTER_MEMBERS", cluster.members());
    cluster.shared.put("DEMO", "true");
    cluster.shared.put("ADMIN_PORT", "0");
    return cluster;
  }

  /** A setting every node started from now on gets. */
  public ProcessCluster with(String setting, String value) {
    shared.put(setting, value);
    return this;
  }

  /** The settings every node gets (cluster name and members, database, credentials key, demo). */
  public Map<String, String> settings() {
    return Map.copyOf(shared);
  }

  public int clusterPort(int member) {
    return clusterPorts.get(member);
  }

  /** CLUSTER_MEMBERS: every member's loopback address. */
  public String members() {
    return String.join(",", clusterPorts.stream().map(p -> "127.0.0.1:" + p).toList());
  }

  /** Starts member {@code member} as a node process with the shared settings and {@code extra}. */
  public NodeProcess start(int member, String name, Map<String, String> extra) throws IOException {
    return start(member, name, extra, Set.of());
  }

  /** Like {@link #start(int, String, Map)}, without the shared settings named in {@code withheld}. */
  public NodeProcess start(int member, String name, Map<String, String> extra, Set<String> withheld)
      throws IOException {
    Map<String, String> env = new HashMap<>(shared);
    env.keySet().removeAll(withheld);
    env.put("CLUSTER_PORT", Integer.toString(clusterPorts.get(member)));
    env.putAll(extra);
    NodeProcess node = NodeProcess.start(name, main, env);
    started.add(node);
    return node;
  }

  /** Starts the node and waits until it says it is up. */
  public NodeProcess startUp(int member, String name, Map<String, String> extra) throws Exception {
    NodeProcess node = start(member, name, extra);
    node.awaitLine("Node .* up", START);
    return node;
  }

  @Override
  public void close() {
    started.forEach(NodeProcess::close);
  }
}
