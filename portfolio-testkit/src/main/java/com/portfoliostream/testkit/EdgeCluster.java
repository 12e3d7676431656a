package com.portfoliostream.testkit;

import com.portfoliostream.common.NodeContext;
import com.portfoliostream.common.cluster.ClusterBootstrap;
import com.portfoliostream.common.cluster.ClusterView;
import com.portfoliostream.common.config.ConfigLoader;
import com.portfoliostream.common.config.NodeConfig;
import com.portfoliostream.common.db.PgPools;
import com.portfoliostream.common.security.CredentialCipher;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Real nodes for tests: one {@link TestDatabase} with the demo seeded, and several clustered Vert.x
 * instances (each its own Hazelcast member, in a cluster of its own name on loopback) each running
 * the verticle the test names on a free port. Each node has its own Prometheus registry, with
 * Vert.x's own metrics in it, as a real node has.
 *
 * @param <V> the verticle every node runs (the stream edge, usually)
 */
public final class EdgeCluster<V extends Deployable> implements AutoCloseable {

  public static final String PASSWORD = TestDatabase.PASSWORD;

  /** What a test runs on each node, and where it listens once deployed. */
  public record Role<V extends Deployable>(Function<NodeContext, V> verticle, ToIntFunction<V> port) {}

  /** One node of the cluster. */
  public record Node<V>(Vertx vertx, V verticle, String deploymentId, Pool pool, NodeContext context,
      ToIntFunction<V> portOf) {
    public int port() {
      return portOf.applyAsInt(verticle);
    }
  }

  private final TestDatabase database;
  private final Role<V> role;
  private final String clusterName = "edge-test-" + UUID.randomUUID();
  private final List<Integer> clusterPorts = new ArrayList<>();
  private final List<Node<V>> nodes = new ArrayList<>();
  private final Map<String, String> settings;
  /** A plain (not clustered) Vert.x for the tests' HTTP and WebSocket clients. */
  private final Vertx clients = Vertx.vertx();

  private EdgeCluster(TestDatabase database, Role<V> role, Map<String, String> settings) {
    this.database = database;
    this.role = role;
    this.settings = settings;
  }

  /** Starts {@code count} nodes running {@code role}, with extra settings (e.g. MAX_CONNECTIONS). */
  public static <V extends Deployable> EdgeCluster<V> start(int count, Map<String, String> extra, Role<V> role)
      throws Exception {
    TestDatabase database = TestDatabase.start();
    Map<String, String> settings = new HashMap<>(extra);
    settings.putAll(database.settings());
    EdgeCluster<V> cluster = new EdgeCluster<>(database, role, settings);
    for (int i = 0; i < count; i++) {
      cluster.clusterPorts.add(FreePorts.free());
    }
    for (int i = 0; i < count; i++) {
      cluster.nodes.add(cluster.startNode(i));
    }
    Node<V> first = cluster.nodes.get(0);
    database.seedDemo(first.vertx(), first.pool());
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
    env.put("ROLES", "stream");
    return ConfigLoader.load(env);
  }

  private Node<V> startNode(int index) throws Exception {
    NodeConfig config = config(index);
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    HazelcastClusterManager clusterManager = ClusterBootstrap.clusterManager(config);
    Vertx vertx = await(ClusterBootstrap.start(config, new VertxOptions(), clusterManager, metrics));
    return deploy(vertx, database.pool(vertx, clusterManager.getNodeId()), config, metrics, ClusterView.of(clusterManager));
  }

  private Node<V> deploy(Vertx vertx, Pool pool, NodeConfig config, MeterRegistry metrics, ClusterView cluster)
      throws Exception {
    NodeContext context = new NodeContext(UUID.randomUUID().toString(), config, pool,
        CredentialCipher.fromConfig(config), metrics, cluster);
    V verticle = role.verticle().apply(context);
    String deploymentId = await(vertx.deployVerticle(verticle));
    return new Node<>(vertx, verticle, deploymentId, pool, context, role.port());
  }

  /**
   * Restarts node {@code index}'s verticle on the same port and cluster member, as a rolling
   * restart does: its sockets close 1001, sessions live on in the cluster.
   */
  public Node<V> restart(int index) throws Exception {
    Node<V> old = nodes.get(index);
    int port = old.port();
    await(old.vertx().undeploy(old.deploymentId()));
    Node<V> restarted = deploy(old.vertx(), old.pool(), config(index, port), old.context().metrics(),
        old.context().cluster());
    nodes.set(index, restarted);
    return restarted;
  }

  public Node<V> node(int index) {
    return nodes.get(index);
  }

  public TestDatabase database() {
    return database;
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
    return TestDatabase.await(future);
  }

  @Override
  public void close() throws Exception {
    await(clients.close());
    for (Node<V> node : nodes) {
      try {
        await(node.vertx().close());
      } catch (Exception e) {
        // keep closing the others
      }
    }
    database.close();
  }
}
