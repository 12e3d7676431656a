package com.portfoliostream.ingest;

import com.portfoliostream.broker.accounts.BrokerAccount;
import com.portfoliostream.broker.rest.AlpacaRestClient;
import com.portfoliostream.common.NodeContext;
import com.portfoliostream.common.bus.UserEventBus;
import com.portfoliostream.common.cluster.ClusterBootstrap;
import com.portfoliostream.common.cluster.ClusterView;
import com.portfoliostream.common.config.ConfigLoader;
import com.portfoliostream.common.config.NodeConfig;
import com.portfoliostream.events.protocol.BusAddresses;
import com.portfoliostream.events.protocol.ServerEvent;
import com.portfoliostream.simulator.SimulatorSettings;
import com.portfoliostream.simulator.SimulatorVerticle;
import com.portfoliostream.testkit.DatabaseLink;
import com.portfoliostream.testkit.FreePorts;
import com.portfoliostream.testkit.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vertx.sqlclient.Pool;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The real thing in one JVM: an embedded PostgreSQL with the demo, the broker simulator (prices
 * move only when a test moves them), and clustered nodes running the real ingest verticle against
 * the simulator over HTTP and WebSocket.
 */
final class IngestHarness implements AutoCloseable {

  /**
   * How the nodes are laid out: those in {@code linked} reach the database through a
   * {@link DatabaseLink} the test can cut; {@code split} puts every node in a Hazelcast cluster of
   * its own (two halves of a split cluster, one database).
   */
  record Layout(Set<Integer> linked, boolean split) {
    static final Layout JOINED = new Layout(Set.of(), false);
    static final Layout SPLIT = new Layout(Set.of(), true);

    static Layout linked(Integer... nodes) {
      return new Layout(Set.of(nodes), false);
    }
  }

  final TestDatabase db;
  final Vertx simVertx = Vertx.vertx();
  final SimulatorVerticle simulator;
  final AlpacaRestClient broker;
  private final String clusterName = "ingest-test-" + UUID.randomUUID();
  private final List<Integer> clusterPorts = new ArrayList<>();
  private final Map<String, String> extra;
  private final Layout layout;
  final Map<Integer, DatabaseLink> links = new HashMap<>();
  final List<Vertx> nodes = new ArrayList<>();
  final List<String> deployments = new ArrayList<>();
  final List<IngestVerticle> verticles = new ArrayList<>();
  final List<NodeContext> contexts = new ArrayList<>();
  Pool pool;

  private IngestHarness(TestDatabase db, Map<String, String> extra, Layout layout) throws Exception {
    this.db = db;
    this.extra = extra;
    this.layout = layout;
    simulator = new SimulatorVerticle(SimulatorSettings.manualMarket(100_000));
    simVertx.deployVerticle(simulator).await(30, TimeUnit.SECONDS);
    broker = new AlpacaRestClient(simVertx, URI.create("http://127.0.0.1:" + simulator.actualPort()),
        Duration.ofSeconds(10));
  }

  /** {@code nodes} ingest nodes in one cluster, with the given extra settings. */
  static IngestHarness start(int nodes, Map<String, String> extra) throws Exception {
    return start(nodes, extra, Layout.JOINED);
  }

  static IngestHarness start(int nodes, Map<String, String> extra, Layout layout) throws Exception {
    TestDatabase db = TestDatabase.start();
    IngestHarness harness = new IngestHarness(db, extra, layout);
    for (int i = 0; i < nodes; i++) {
      harness.clusterPorts.add(FreePorts.free());
    }
    for (int i = 0; i < nodes; i++) {
      harness.startNode(i);
    }
    return harness;
  }

  NodeConfig config(int index) {
    Map<String, String> env = new HashMap<>(db.settings());
    env.putAll(extra);
    int sim = simulator.actualPort();
    env.put("BROKER_API_URL", "http://127.0.0.1:" + sim);
    env.put("BROKER_STREAM_URL", "ws://127.0.0.1:" + sim + "/stream");
    env.put("MARKET_DATA_URL", "ws://127.0.0.1:" + sim + "/v2/iex");
    List<Integer> members = layout.split() ? List.of(clusterPorts.get(index)) : clusterPorts;
    env.put("CLUSTER_NAME", layout.split() ? clusterName + "-" + index : clusterName);
    env.put("CLUSTER_PORT", Integer.toString(clusterPorts.get(index)));
    env.put("CLUSTER_MEMBERS", String.join(",", members.stream().map(p -> "127.0.0.1:" + p).toList()));
    env.put("ROLES", "ingest");
    return ConfigLoader.load(env);
  }

  private void startNode(int index) throws Exception {
    NodeConfig config = config(index);
    HazelcastClusterManager clusterManager = ClusterBootstrap.clusterManager(config);
    Vertx vertx = ClusterBootstrap.start(config, new VertxOptions(), clusterManager).await(60, TimeUnit.SECONDS);
    Pool nodePool = db.pool(vertx);
    if (pool == null) {
      pool = nodePool;
      db.seedDemo(vertx, pool);
    }
    if (layout.linked().contains(index)) {
      DatabaseLink link = DatabaseLink.to(simVertx, db.database().url());
      links.put(index, link);
      nodePool = link.pool(vertx);
    }
    NodeContext context = new NodeContext("node-" + index, config, nodePool, db.cipher(), new SimpleMeterRegistry(),
        ClusterView.of(clusterManager));
    IngestVerticle verticle = new IngestVerticle(context);
    deployments.add(vertx.deployVerticle(verticle).await(60, TimeUnit.SECONDS));
    verticles.add(verticle);
    contexts.add(context);
    nodes.add(vertx);
  }

  BrokerAccount account(String username) throws Exception {
    return DemoAccounts.account(pool, db.cipher(), username);
  }

  /** Every event published to the user's address from now on, as the edge would receive it. */
  List<ServerEvent> listen(UUID userId) throws Exception {
    List<ServerEvent> events = new CopyOnWriteArrayList<>();
    nodes.get(0).eventBus().<String>consumer(BusAddresses.user(userId.toString()),
        m -> events.add(UserEventBus.decode(m.body()))).completion().await(10, TimeUnit.SECONDS);
    return events;
  }


  @Override
  public void close() throws Exception {
    for (DatabaseLink link : links.values()) {
      link.close();
    }
    for (Vertx node : nodes) {
      try {
        node.close().await(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        // keep closing the others
      }
    }
    simVertx.close().await(30, TimeUnit.SECONDS);
    db.close();
  }
}
