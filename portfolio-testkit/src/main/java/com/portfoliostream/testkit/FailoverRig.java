package com.portfoliostream.testkit;

import com.portfoliostream.common.metrics.MetricNames;
import com.portfoliostream.common.security.CredentialCipher;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A cluster on hosts of its own ({@link TestNetwork}): two stream edges, one broker host (ingest,
 * orders, admin and the simulator) and HAProxy ({@link Balancer}) on a fourth, each node bound to
 * its host's address with the cluster on mutual TLS; the embedded test database stays with the
 * test on the root namespace, reached through a relay on its address. Edges speak PROXY protocol
 * v2 and trust only the balancer's address, as deploy/haproxy says. Closing stops every process
 * and removes the namespaces, however far the start got.
 */
public final class FailoverRig implements AutoCloseable {

  public static final List<String> EDGES = List.of("edgea", "edgeb");
  public static final String BROKER = "broker";
  public static final String BALANCER = "lb";
  public static final int EDGE_PORT = 8080;
  public static final int ADMIN_PORT = 8081;
  /** DRAIN_SECONDS of the edges: longer than the balancer's check interval, short for a test. */
  public static final int DRAIN_SECONDS = 3;
  private static final int CLUSTER_PORT = 5701;

  private final Class<?> main;
  private final TestNetwork network;
  private final Path dir;
  private final Map<String, NodeProcess> edges = new LinkedHashMap<>();
  private final List<NodeProcess> stopped = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Closes the rig if the JVM is stopped before the test closes it (a Ctrl-C, a fork's timeout). */
  private final Thread closeAtExit = new Thread(this::closeEverything, "failover-rig-cleanup");
  private TestDatabase database;
  private Vertx relayVertx;
  private NetServer relay;
  private ClusterCertificates certificates;
  private Map<String, String> shared;
  private NodeProcess broker;
  private Balancer balancer;

  private FailoverRig(Class<?> main, TestNetwork network, Path dir) {
    this.main = main;
    this.network = network;
    this.dir = dir;
  }

  /**
   * Builds the hosts and starts everything on them with {@code main} as the node's main class;
   * throws {@link TestNetwork.Unavailable} where namespaces cannot be created.
   */
  public static FailoverRig start(Class<?> main) throws Exception {
    List<String> hosts = new ArrayList<>(EDGES);
    hosts.addAll(List.of(BROKER, BALANCER));
    TestNetwork network = TestNetwork.create(hosts.toArray(String[]::new));
    FailoverRig rig = new FailoverRig(main, network, Files.createTempDirectory("failover"));
    Runtime.getRuntime().addShutdownHook(rig.closeAtExit);
    try {
      rig.startAll();
    } catch (Exception | AssertionError e) {
      rig.close();
      throw e;
    }
    return rig;
  }

  private void startAll() throws Exception {
    database = TestDatabase.start();
    relayVertx = Vertx.vertx();
    database.seedDemo(relayVertx, database.pool(relayVertx));
    relay = database.relay(relayVertx, network.rootAddress());
    List<String> names = new ArrayList<>(EDGES);
    names.add(BROKER);
    certificates = ClusterCertificates.make(names.toArray(String[]::new));
    shared = Map.of(
        "CLUSTER_NAME", "failover-" + UUID.randomUUID(),
        "CLUSTER_MEMBERS", names.stream().map(h -> network.address(h) + ":" + CLUSTER_PORT).collect(Collectors.joining(",")),
        "CLUSTER_PORT", Integer.toString(CLUSTER_PORT),
        "DATABASE_URL", database.urlThrough(relay, network.rootAddress()),
        "WEB_SIGNING_KEY", CredentialCipher.generateKey(),
        "DEMO", "false",
        "ADMIN_PORT", Integer.toString(ADMIN_PORT));
    broker = NodeProcess.start(network.launcher(BROKER), BROKER, main, brokerSettings(), List.of());
    for (String edge : EDGES) {
      edges.put(edge, NodeProcess.start(network.launcher(edge), edge, main, edgeSettings(edge), List.of()));
    }
    broker.awaitLine("Node .* up", ProcessCluster.START);
    for (NodeProcess edge : edges.values()) {
      edge.awaitLine("Node .* up", ProcessCluster.START);
    }
    Map<String, String> servers = new LinkedHashMap<>();
    EDGES.forEach(edge -> servers.put(edge, network.address(edge) + ":" + EDGE_PORT));
    balancer = Balancer.start(network, BALANCER, servers, ADMIN_PORT, dir.resolve("haproxy"));
    for (String edge : EDGES) {
      balancer.awaitStatus(edge, "UP", Duration.ofSeconds(30));
    }
  }

  private Map<String, String> nodeSettings(String host) {
    Map<String, String> env = new HashMap<>(shared);
    env.putAll(certificates.settings(host));
    env.put("CLUSTER_HOST", network.address(host));
    env.put("DATA_DIR", dir.resolve(host).toString());
    return env;
  }

  private Map<String, String> brokerSettings() {
    Map<String, String> env = nodeSettings(BROKER);
    env.put("ROLES", "ingest,orders,admin,simulator");
    env.put("CREDENTIALS_KEY", database.settings().get("CREDENTIALS_KEY"));
    // Prices move only when told: what a socket shows can then be compared with REST exactly.
    env.put("SIM_TICK_INTERVAL_MS", "0");
    return env;
  }

  private Map<String, String> edgeSettings(String edge) {
    Map<String, String> env = nodeSettings(edge);
    env.put("ROLES", "stream");
    env.put("PORT", Integer.toString(EDGE_PORT));
    env.put("BIND_HOST", network.address(edge));
    env.put("ADMIN_BIND_HOST", network.address(edge));
    env.put("PROXY_PROTOCOL", "true");
    env.put("TRUSTED_PROXIES", network.address(BALANCER) + "/32");
    env.put("COOKIE_SECURE", "true");
    env.put("DRAIN_SECONDS", Integer.toString(DRAIN_SECONDS));
    return env;
  }

  public NodeProcess edge(String name) {
    return edges.get(name);
  }

  /** The other edge. */
  public static String otherThan(String edge) {
    return EDGES.get(0).equals(edge) ? EDGES.get(1) : EDGES.get(0);
  }

  /** Starts {@code edge} again on its host (after a kill or a stop) and waits until the balancer has it up. */
  public NodeProcess restartEdge(String edge) throws Exception {
    stopped.add(edges.get(edge));
    NodeProcess restarted = NodeProcess.start(network.launcher(edge), edge, main, edgeSettings(edge), List.of());
    edges.put(edge, restarted);
    restarted.awaitLine("Node .* up", ProcessCluster.START);
    balancer.awaitStatus(edge, "UP", Duration.ofSeconds(30));
    return restarted;
  }

  /** The sockets {@code edge} says it holds (its websocket gauge on the management port). */
  public int openSockets(String edge) throws IOException, InterruptedException {
    HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
        URI.create("http://" + network.address(edge) + ":" + ADMIN_PORT + "/metrics")).timeout(Duration.ofSeconds(3)).build(),
        HttpResponse.BodyHandlers.ofString());
    return metrics.body().lines().filter(line -> line.startsWith(MetricNames.ACTIVE_CONNECTIONS + " ")
            || line.startsWith(MetricNames.ACTIVE_CONNECTIONS + "{"))
        .mapToInt(line -> (int) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
  }

  public TestNetwork network() {
    return network;
  }

  public Balancer balancer() {
    return balancer;
  }

  /** Lines at ERROR level that any node's own code printed (Hazelcast's lines apart: see {@link #hazelcastErrorLines}). */
  public List<String> errorLines() {
    return nodeLines().filter(line -> line.contains(" ERROR ") && !line.contains(hazelcastTag())).toList();
  }

  /**
   * Lines at ERROR level from Hazelcast itself: a member woken from a freeze, which the others
   * had removed, logs a few ("Not Member!", "NormalResponse already responseReceived") as the
   * cluster settles; they are Hazelcast's view of the fault, not the node's.
   */
  public List<String> hazelcastErrorLines() {
    return nodeLines().filter(line -> line.contains(" ERROR ") && line.contains(hazelcastTag())).toList();
  }

  /** Hazelcast names the cluster in brackets in every line it logs. */
  private String hazelcastTag() {
    return "[" + shared.get("CLUSTER_NAME") + "]";
  }

  private Stream<String> nodeLines() {
    List<NodeProcess> all = new ArrayList<>(stopped);
    all.addAll(edges.values());
    if (broker != null) {
      all.add(broker);
    }
    return all.stream().flatMap(node -> node.output().stream());
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(closeAtExit);
    } catch (IllegalStateException e) {
      // the JVM is stopping: the hook closes it
    }
    closeEverything();
  }

  private void closeEverything() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      List<AutoCloseable> closing = new ArrayList<>();
      closing.add(balancer);
      closing.addAll(edges.values());
      closing.add(broker);
      for (AutoCloseable closeable : closing) {
        closeQuietly(closeable);
      }
      if (relayVertx != null) {
        relayVertx.close().await(30, java.util.concurrent.TimeUnit.SECONDS);
      }
      closeQuietly(database);
    } catch (Exception e) {
      // the namespaces go below whatever failed
    } finally {
      network.close();
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      // the rest still closes
    }
  }
}
