package com.portfoliostream.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.portfoliostream.testkit.ClusterCertificates;
import com.portfoliostream.testkit.FreePorts;
import com.portfoliostream.testkit.ListeningSockets;
import com.portfoliostream.testkit.ListeningSockets.Listener;
import com.portfoliostream.testkit.NetworkNamespaces;
import com.portfoliostream.testkit.NetworkNamespaces.Namespace;
import com.portfoliostream.testkit.NodeProcess;
import com.portfoliostream.testkit.ProcessCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What a node exposes to the network: every listener on the address its setting names, loopback
 * by default; a stranger on another host (a network namespace of the test's own) reaches only
 * what was configured off-host, and no Hazelcast client gets in anywhere.
 */
@DisplayName("A node's listeners")
class NetworkExposureTest {

  private static final int EDGE = 18080;
  private static final int MANAGEMENT = 18081;
  private static final int SIMULATOR = 18090;
  private static final int HAZELCAST = 15701;

  @TempDir Path dataDir;

  @Test
  @DisplayName("of the default demo are all on 127.0.0.1, and Hazelcast lets no client in")
  void defaultDemoListensOnLoopbackOnly() throws Exception {
    Map<String, String> env = NodeStartupTest.isolated();
    env.put("DATA_DIR", dataDir.toString());
    env.put("DEMO", "true");
    int clusterPort = Integer.parseInt(env.get("CLUSTER_PORT"));
    try (NodeProcess node = NodeProcess.start("demo", Main.class, env)) {
      node.awaitLine("Node .* up: roles admin,ingest,orders,simulator,stream", ProcessCluster.START);

      List<Listener> listeners = ListeningSockets.of(node.pid());

      // edge, management, simulator, Hazelcast and the event bus
      assertThat(listeners).hasSizeGreaterThanOrEqualTo(5)
          .allSatisfy(l -> assertThat(l.address()).as(l.toString()).isEqualTo("127.0.0.1"))
          .contains(new Listener("127.0.0.1", clusterPort));
      assertThat(HazelcastClientProbe.connects(env.get("CLUSTER_NAME"), "127.0.0.1:" + clusterPort))
          .as("a Hazelcast client with the cluster name on the member port").isFalse();
    }
  }

  @Test
  @DisplayName("probe: a member on Hazelcast's default network does let a client in (so the probe can tell)")
  void probeConnectsToDefaultNetwork() {
    int port = FreePorts.free();
    Config config = new Config().setClusterName("probe-" + UUID.randomUUID());
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.getNetworkConfig().setPort(port).setPortAutoIncrement(false).getJoin().getAutoDetectionConfig().setEnabled(false);
    config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
    config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    config.setProperty("hazelcast.socket.bind.any", "false");
    HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
    try {
      assertThat(HazelcastClientProbe.connects(config.getClusterName(), "127.0.0.1:" + port)).isTrue();
    } finally {
      member.shutdown();
    }
  }

  @Test
  @DisplayName("with the edge on a namespace's address: a stranger reaches the edge, not the management port, the simulator or Hazelcast")
  void strangerReachesOnlyThePublicEdge() throws Exception {
    try (NetworkNamespaces hosts = namespacesOrSkip()) {
      Namespace node = hosts.first();
      Namespace stranger = hosts.second();
      Map<String, String> env = inNamespace(Map.of("BIND_HOST", node.address(), "DEMO", "true",
          "ALLOW_PUBLIC_DEMO", "true", "CLUSTER_MEMBERS", "127.0.0.1:" + HAZELCAST));
      try (NodeProcess process = startUpIn(node, "public-edge", env)) {
        assertThat(ListeningSockets.of(process.pid())).contains(new Listener(node.address(), EDGE))
            .allSatisfy(l -> assertThat(l.address()).as(l.toString())
                .isEqualTo(l.port() == EDGE ? node.address() : "127.0.0.1"));
        assertThat(node.canConnect("127.0.0.1", MANAGEMENT)).as("management port, from its own host").isTrue();
        assertThat(node.canConnect("127.0.0.1", HAZELCAST)).as("Hazelcast, from its own host").isTrue();
        assertThat(stranger.canConnect(node.address(), EDGE)).as("the public edge").isTrue();
        assertThat(stranger.canConnect(node.address(), MANAGEMENT)).as("the management port").isFalse();
        assertThat(stranger.canConnect(node.address(), SIMULATOR)).as("the simulator").isFalse();
        assertThat(stranger.canConnect(node.address(), HAZELCAST)).as("Hazelcast").isFalse();
      }
    }
  }

  @Test
  @DisplayName("with the cluster on a namespace's address: Hazelcast and the event bus bind only it, and a stranger's Hazelcast client is refused")
  void offHostClusterBindsItsAddressAndRefusesClients() throws Exception {
    try (NetworkNamespaces hosts = namespacesOrSkip()) {
      Namespace node = hosts.first();
      Namespace stranger = hosts.second();
      String clusterName = "exposed-" + UUID.randomUUID();
      Map<String, String> cluster = new HashMap<>(Map.of("ROLES", "stream", "CLUSTER_NAME", clusterName,
          "CLUSTER_HOST", node.address(), "CLUSTER_MEMBERS", node.address() + ":" + HAZELCAST));
      cluster.putAll(ClusterCertificates.make("node").settings("node"));
      Map<String, String> env = inNamespace(cluster);
      try (NodeProcess process = startUpIn(node, "off-host-cluster", env)) {
        List<Listener> listeners = ListeningSockets.of(process.pid());
        assertThat(listeners).contains(new Listener(node.address(), HAZELCAST))
            .filteredOn(l -> l.address().equals(node.address())).as("Hazelcast and the event bus").hasSize(2);
        assertThat(listeners).allSatisfy(l -> assertThat(l.address()).as(l.toString()).isIn(node.address(), "127.0.0.1"));
        assertThat(stranger.canConnect(node.address(), HAZELCAST)).as("the member port is on the cluster network").isTrue();
        try (NodeProcess probe = NodeProcess.start("stranger-client", HazelcastClientProbe.class,
            Map.of(HazelcastClientProbe.CLUSTER_NAME, clusterName,
                HazelcastClientProbe.MEMBER, node.address() + ":" + HAZELCAST), List.of(), stranger.prefix())) {
          probe.awaitExit(Duration.ofSeconds(60));
          assertThat(probe.output()).contains(HazelcastClientProbe.REFUSED)
              .doesNotContain(HazelcastClientProbe.CONNECTED);
        }
      }
    }
  }

  @ParameterizedTest(name = "BIND_HOST={0} ADMIN_BIND_HOST={1} ALLOW_PUBLIC_DEMO={2} DEMO_PASSWORD={3}")
  @DisplayName("of the demo on a non-loopback address without a password of the operator's own and the opt-in: refused, exit 2, one line")
  @CsvSource({
      "0.0.0.0,   127.0.0.1, false, demo,          BIND_HOST=0.0.0.0",
      "0.0.0.0,   127.0.0.1, true,  demo,          BIND_HOST=0.0.0.0",
      "127.0.0.1, 0.0.0.0,   false, test-password, ADMIN_BIND_HOST=0.0.0.0",
  })
  void publicDemoRefused(String bind, String adminBind, String allow, String password, String named) throws Exception {
    Map<String, String> env = NodeStartupTest.isolated();
    env.put("DATA_DIR", dataDir.toString());
    env.putAll(Map.of("BIND_HOST", bind, "ADMIN_BIND_HOST", adminBind, "ALLOW_PUBLIC_DEMO", allow,
        "DEMO_PASSWORD", password));
    try (NodeProcess node = NodeProcess.start("public-demo", Main.class, env)) {
      int exit = node.awaitExit(Duration.ofSeconds(60));

      assertThat(exit).isEqualTo(Main.EXIT_CONFIG);
      assertThat(node.output().stream().filter(l -> l.contains(" ERROR ")).toList()).singleElement()
          .satisfies(l -> assertThat(l).contains("portfolio-node: invalid configuration: the demo refuses a "
              + "non-loopback address (" + named + ")").contains("ALLOW_PUBLIC_DEMO=true"));
      assertThat(node.output()).noneMatch(l -> l.contains("listening on"));
    }
  }

  private Map<String, String> inNamespace(Map<String, String> settings) {
    Map<String, String> env = NodeStartupTest.isolated();
    env.putAll(Map.of("DATA_DIR", dataDir.toString(), "PORT", Integer.toString(EDGE),
        "ADMIN_PORT", Integer.toString(MANAGEMENT), "SIM_PORT", Integer.toString(SIMULATOR),
        "CLUSTER_PORT", Integer.toString(HAZELCAST)));
    env.putAll(settings);
    return env;
  }

  /** A node process inside {@code host}, once it says it is up. */
  private static NodeProcess startUpIn(Namespace host, String name, Map<String, String> env) throws Exception {
    NodeProcess process = NodeProcess.start(name, Main.class, env, List.of(), host.prefix());
    try {
      process.awaitLine("Node .* up", ProcessCluster.START);
      return process;
    } catch (AssertionError | RuntimeException e) {
      process.close();
      throw e;
    }
  }

  private static NetworkNamespaces namespacesOrSkip() {
    Optional<String> unavailable = NetworkNamespaces.unavailableReason();
    assumeTrue(unavailable.isEmpty(), () -> "skipped: " + unavailable.orElse(""));
    return NetworkNamespaces.pair();
  }
}
