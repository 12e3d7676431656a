package com.portfoliostream.stream;

import com.portfoliostream.common.NodeContext;
import com.portfoliostream.common.cluster.ClusterBootstrap;
import com.portfoliostream.common.cluster.ClusterView;
import com.portfoliostream.common.config.ConfigLoader;
import com.portfoliostream.common.config.NodeConfig;
import com.portfoliostream.common.db.Database;
import com.portfoliostream.common.db.PgPools;
import com.portfoliostream.common.demo.DemoSeeder;
import com.portfoliostream.common.security.CredentialCipher;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Real stream nodes for tests: one embedded PostgreSQL with the demo seeded, and several clustered
 * Vert.x instances (each its own Hazelcast member, in a cluster of its own name) each running the
 * real {@link StreamVerticle} on a free port. Each node has its own Prometheus registry, with
 * Vert.x's own metrics in it, as a real node has. Shared with other modules' tests (test-jar).
 */
public final class EdgeCluster implements AutoCloseable {

  public static final String PASSWORD = "test-password";

  /** One stream node of the cluster. */
  public record Node(Vertx vertx, StreamVerticle verticle, String deploymentId, Pool pool, NodeContext context) {
    public int port() {
      return verticle.actualPort();
    }
  }

  private final Path dataDir;
  private final Database database;
  private final String clusterName = "edge-test-" + UUID.randomUUID();
  private final List<Integer> clusterPorts = new ArrayList<>();
  private final List<Node> nodes = new ArrayList<>();
  private final Map<String, String> settings;
  /** A plain (not clustered) Vert.x for the tests' HTTP and WebSocket clients. */
  private final Vertx clients = Vertx.vertx();

  private EdgeCluster(Path dataDir, Database database, Map<String, String> settings) {
    this.dataDir = dataDir;
    this.database = database;
    this.settings = settings;
  }

  /** Starts {@code count} stream nodes with the given extra settings (e.g. MAX_CONNECTIONS). */
  public static EdgeCluster start(int count, Map<String, String> extra) throws Exception {
    Path dataDir = Files.createTempDirectory("edge-test");
    Map<String, String> settings = new HashMap<>(extra);
    settings.put("DATA_DIR", dataDir.toString());
    settings.put("CREDENTIALS_KEY", CredentialCipher.generateKey());
    Database database = Database.open(ConfigLoader.load(settings));
    EdgeCluster cluster = new EdgeCluster(dataDir, database, settings);
    for (int i = 0; i < count; i++) {
      cluster.clusterPorts.add(freePort());
    }
    for (int i = 0; i < count; i++) {
      cluster.nodes.add(cluster.startNode(i));
    }
    Node first = cluster.nodes.get(0);
    await(new DemoSeeder(first.vertx(), first.pool(), CredentialCipher.fromConfig(cluster.config(0)))
        .seed(PASSWORD));
    return cluster;
  }

  public NodeConfig config(int index) {
    return config(index, 0);
  }

  private NodeConfig config(int index, int port) {
    Map<String, String> env = new HashMap<>(settings);
    env.put("PORT", Integer.toString(port));
    env.put("ADMIN_PORT", "0");
    env.put("BIND_HOST", "127.0.0.1");
    env.put("CLUSTER_NAME", clusterName);
    env.put("CLUSTER_PORT", Integer.toString(clusterPorts.get(index)));
    env.put("CLUSTER_MEMBERS", String.join(",", clusterPorts.stream().map(p -> "127.0.0.1:" + p).toList()));
    env.put("DATABASE_URL", "postgresql://postgres@127.0.0.1:" + database.url().port() + "/" + database.url().database());
    env.put("ROLES", "stream");
    return ConfigLoader.load(env);
  }

  private Node startNode(int index) throws Exception {
    NodeConfig config = config(index);
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    HazelcastClusterManager clusterManager = ClusterBootstrap.clusterManager(config);
    Vertx vertx = await(ClusterBootstrap.start(config, new VertxOptions(), clusterManager, metrics));
    return deploy(vertx, PgPools.create(vertx, database.url(), 4), config, metrics, ClusterView.of(clusterManager));
  }

  private static Node deploy(Vertx vertx, Pool pool, NodeConfig config, MeterRegistry metrics, ClusterView cluster)
      throws Exception {
    NodeContext context = new NodeContext(UUID.randomUUID().toString(), config, pool,
        CredentialCipher.fromConfig(config), metrics, cluster);
    StreamVerticle verticle = new StreamVerticle(context);
    String deploymentId = await(vertx.deployVerticle(verticle));
    return new Node(vertx, verticle, deploymentId, pool, context);
  }

  /**
   * Restarts node {@code index}'s stream verticle on the same port and cluster member, as a
   * rolling restart does: its sockets close 1001, sessions live on in the cluster.
   */
  Node restart(int index) throws Exception {
    Node old = nodes.get(index);
    int port = old.port();
    await(old.vertx().undeploy(old.deploymentId()));
    Node restarted = deploy(old.vertx(), old.pool(), config(index, port), old.context().metrics(),
        old.context().cluster());
    nodes.set(index, restarted);
    return restarted;
  }

  public Node node(int index) {
    return nodes.get(index);
  }

  /** The first node's Vert.x: a cluster member from which tests publish events. */
  public Vertx vertx() {
    return nodes.get(0).vertx();
  }

  public Pool pool() {
    return nodes.get(0).pool();
  }

  /** The Vert.x the tests' clients run on, apart from the nodes under test. */
  public Vertx clients() {
    return clients;
  }

  public static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws Exception {
    await(clients.close());
    for (Node node : nodes) {
      try {
        await(node.vertx().close());
      } catch (Exception e) {
        // keep closing the others
      }
    }
    database.close();
    deleteRecursively(dataDir);
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (var walk = Files.walk(path)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
