package com.portfoliostream.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.node.Main;
import com.portfoliostream.testkit.ClusterCertificates;
import com.portfoliostream.testkit.Eventually;
import com.portfoliostream.testkit.NodeProcess;
import com.portfoliostream.testkit.ProcessCluster;
import com.portfoliostream.testkit.TestDatabase;
import com.portfoliostream.testkit.TestNetwork;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.sqlclient.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two ingest nodes, each on a host of its own, partitioned from each other (and only from each
 * other: both still reach the database and the broker) for 30 s while the broker fills orders of
 * every account. Each half of the split cluster sees the other member gone; stream ownership lives
 * in the database, so neither takes the other's accounts. Counted at the broker: never two trading
 * streams of one key at once; every fill in the database exactly once; one owner per account after
 * the heal.
 */
@DisplayName("Two ingest nodes partitioned from each other")
class IngestPartitionTest {

  private static final Logger LOG = LoggerFactory.getLogger(IngestPartitionTest.class);
  private static final List<String> HOSTS = List.of("ingesta", "ingestb");
  private static final int CLUSTER_PORT = 5701;
  private static final Duration PARTITION = Duration.ofSeconds(30);
  private static final Duration FILL_EVERY = Duration.ofMillis(200);
  private static final String MEMBER_LEFT = "Cluster member left";

  @Test
  @DisplayName("for 30 s (database and broker still reachable): never two streams of one account, every fill applied once, one owner after the heal")
  void partitionedIngest() throws Exception {
    TestNetwork network;
    try {
      network = TestNetwork.create(HOSTS.toArray(String[]::new));
    } catch (TestNetwork.Unavailable e) {
      Assumptions.abort("Skipped: " + e.getMessage());
      return;
    }
    Vertx vertx = Vertx.vertx();
    List<NodeProcess> nodes = new ArrayList<>();
    try (network; TestDatabase database = TestDatabase.start()) {
      Pool pool = database.pool(vertx);
      database.seedDemo(vertx, pool);
      FaultBroker broker = FaultBroker.start(vertx, network.rootAddress());
      try {
        startNodes(network, database, database.relay(vertx, network.rootAddress()), broker, nodes);
        NodeProcess a = nodes.get(0);
        NodeProcess b = nodes.get(1);
        awaitOneEach(a, b, broker);
        Split split = partitionWhileFilling(network, broker, a, b);
        assertOneStreamAndEveryFillOnce(new BrokerLedgerCheck(pool, broker), broker, split, a, b);
      } finally {
        // Before the network and the database go (the resources close first), so the nodes stop cleanly.
        nodes.forEach(NodeProcess::close);
        broker.close();
      }
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  private static void startNodes(TestNetwork network, TestDatabase database, NetServer relay, FaultBroker broker,
      List<NodeProcess> nodes) throws Exception {
    Map<String, String> shared = sharedSettings(network, database, relay, broker);
    ClusterCertificates certificates = ClusterCertificates.make(HOSTS.toArray(String[]::new));
    Path dataDir = Files.createTempDirectory("partition");
    for (String host : HOSTS) {
      Map<String, String> env = new HashMap<>(shared);
      env.putAll(certificates.settings(host));
      env.put("CLUSTER_HOST", network.address(host));
      env.put("DATA_DIR", dataDir.resolve(host).toString());
      nodes.add(NodeProcess.start(network.launcher(host), host, Main.class, env, List.of()));
    }
    for (NodeProcess node : nodes) {
      node.awaitLine("Node .* up", ProcessCluster.START);
    }
  }

  /** What the partition took: when each side saw the other gone and when they were one cluster again. */
  private record Split(long detectedMs, long mergedMs, int[] linesBefore, Map<String, Set<String>> streamedDuring) {}

  /** Fills flowing for every account, the two hosts partitioned for {@link #PARTITION}, healed, fills a little more. */
  private static Split partitionWhileFilling(TestNetwork network, FaultBroker broker, NodeProcess a, NodeProcess b)
      throws Exception {
    broker.produceFills(FILL_EVERY);
    Thread.sleep(3_000);
    int[] seen = {a.output().size(), b.output().size()};
    network.partition(HOSTS.get(0), HOSTS.get(1));
    long partitioned = System.nanoTime();
    // Hazelcast on each side removes the other: the partition is real for the cluster.
    a.awaitLineAfter(seen[0], MEMBER_LEFT, Duration.ofSeconds(30));
    b.awaitLineAfter(seen[1], MEMBER_LEFT, Duration.ofSeconds(30));
    long detectedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - partitioned);
    Thread.sleep(Math.max(0, PARTITION.toMillis() - detectedMs));
    Map<String, Set<String>> during = Map.of(HOSTS.get(0), BrokerLedgerCheck.streamed(a),
        HOSTS.get(1), BrokerLedgerCheck.streamed(b));
    network.heal(HOSTS.get(0), HOSTS.get(1));
    long healed = System.nanoTime();
    Eventually.eventually(Duration.ofSeconds(60), "the two members one cluster again",
        () -> rejoined(a, seen[0]) || rejoined(b, seen[1]));
    long mergedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - healed);
    Thread.sleep(3_000);
    broker.stopFills();
    return new Split(detectedMs, mergedMs, seen, during);
  }

  /** One stream per key ever and now, every fill once, one owner each; logs the figures. */
  private static void assertOneStreamAndEveryFillOnce(BrokerLedgerCheck ledger, FaultBroker broker, Split split,
      NodeProcess a, NodeProcess b) throws Exception {
    Map<String, Integer> fills = ledger.awaitEveryFillOnce(Duration.ofSeconds(60));
    Map<String, Integer> mostOpen = new HashMap<>();
    for (String key : FaultBroker.keyIds()) {
      mostOpen.put(key, broker.mostOpen(key));
      assertThat(broker.mostOpen(key)).as("trading streams of %s open at once, ever", key).isEqualTo(1);
      assertThat(broker.open(key)).as("trading streams of %s open after the heal", key).isEqualTo(1);
    }
    assertOneOwnerEach(ledger, a, b);
    LOG.info("Partition figures: members removed {} ms after the cut, one cluster again {} ms after the heal; "
        + "orders placed {} (refused {}), fills per key {}, most streams open at once per key {}, "
        + "streams per node during the partition {}, ownership changes after the cut: {}",
        split.detectedMs(), split.mergedMs(), broker.ordersPlaced(), broker.ordersRefused(), fills, mostOpen,
        split.streamedDuring(), takeovers(a, split.linesBefore()[0]) + takeovers(b, split.linesBefore()[1]));
  }

  private static Map<String, String> sharedSettings(TestNetwork network, TestDatabase database, NetServer relay,
      FaultBroker broker) {
    Map<String, String> env = new HashMap<>(broker.settings());
    env.put("CLUSTER_NAME", "partition-" + UUID.randomUUID());
    env.put("CLUSTER_MEMBERS", String.join(",", HOSTS.stream().map(h -> network.address(h) + ":" + CLUSTER_PORT).toList()));
    env.put("CLUSTER_PORT", Integer.toString(CLUSTER_PORT));
    env.put("DATABASE_URL", database.urlThrough(relay, network.rootAddress()));
    env.put("CREDENTIALS_KEY", database.settings().get("CREDENTIALS_KEY"));
    env.put("DEMO", "false");
    env.put("ROLES", "ingest");
    return env;
  }

  /** Both nodes stream one account each, and the broker counts one stream per key. */
  private static void awaitOneEach(NodeProcess a, NodeProcess b, FaultBroker broker) throws Exception {
    Eventually.eventually(Duration.ofSeconds(60), "the two nodes streaming one account each, one stream per key", () -> {
      if (BrokerLedgerCheck.streamed(a).size() != 1 || BrokerLedgerCheck.streamed(b).size() != 1) {
        return false;
      }
      for (String key : FaultBroker.keyIds()) {
        if (broker.open(key) != 1) {
          return false;
        }
      }
      return true;
    });
  }

  /** The node logged the other member back (joined), after the first {@code from} lines. */
  private static boolean rejoined(NodeProcess node, int from) {
    List<String> lines = node.output();
    return lines.subList(from, lines.size()).stream().anyMatch(line -> line.contains("Cluster member joined"));
  }

  private static long takeovers(NodeProcess node, int from) {
    List<String> lines = node.output();
    return lines.subList(from, lines.size()).stream().filter(line -> line.contains("now streams broker account")).count();
  }

  /**
   * Every account's lease has one live holder, one of the two nodes, and that node (and only it)
   * says it streams the account.
   */
  private static void assertOneOwnerEach(BrokerLedgerCheck ledger, NodeProcess a, NodeProcess b) throws Exception {
    Map<String, String> holders = ledger.leaseHolders();
    assertThat(holders).as("a live lease per account").containsOnlyKeys(FaultBroker.keyIds());
    Set<String> byA = BrokerLedgerCheck.streamed(a);
    Set<String> byB = BrokerLedgerCheck.streamed(b);
    assertThat(byA).as("accounts streamed by both nodes").doesNotContainAnyElementsOf(byB);
    Set<String> all = new HashSet<>(byA);
    all.addAll(byB);
    for (String key : FaultBroker.keyIds()) {
      String account = ledger.accountId(key);
      String owner = byA.contains(account) ? BrokerLedgerCheck.nodeId(a) : BrokerLedgerCheck.nodeId(b);
      assertThat(all).as("someone streams %s", key).contains(account);
      assertThat(holders.get(key)).as("the lease holder of %s is the node streaming it", key).isEqualTo(owner);
    }
  }
}
