package com.portfoliostream.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.common.cluster.ClusterBootstrap;
import com.portfoliostream.common.config.ConfigLoader;
import com.portfoliostream.common.config.NodeConfig;
import com.portfoliostream.node.Main;
import com.portfoliostream.testkit.ClusterCertificates;
import com.portfoliostream.testkit.Fixtures;
import com.portfoliostream.testkit.FreePorts;
import com.portfoliostream.testkit.NodeProcess;
import com.portfoliostream.testkit.TestClient;
import com.portfoliostream.testkit.TestDatabase;
import com.portfoliostream.testkit.TestNetwork;
import com.portfoliostream.testkit.TestSocket;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.NetServer;
import io.vertx.sqlclient.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Hosts of their own: a stream node in namespace A, with the cluster certificate; a stranger in
 * namespace B with the cluster's name and members but no certificate; the test's own JVM on the
 * same network as a third, certified member that publishes the user's events. The database stays
 * in the root namespace on loopback; a relay on the root's network address lets the node reach it.
 */
@DisplayName("A stranger on the cluster network")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StrangerOnTheClusterTest {

  private static final Duration START = Duration.ofSeconds(90);
  private static final int EDGE_PORT = 8080;

  static TestNetwork network;
  static TestDatabase database;
  static Vertx tests;
  static Pool pool;
  static NetServer databaseRelay;
  static Vertx publisher;
  static NodeProcess node;
  static NodeProcess stranger;
  static UUID alice;
  static TestClient aliceClient;
  static TestSocket aliceSocket;

  @BeforeAll
  static void start() throws Exception {
    try {
      network = TestNetwork.create("a", "b");
    } catch (TestNetwork.Unavailable e) {
      Assumptions.abort("Skipped: " + e.getMessage());
    }
    try {
      startCluster();
    } catch (Throwable e) {
      stop();
      throw e;
    }
  }

  private static void startCluster() throws Exception {
    ClusterCertificates certificates = ClusterCertificates.make("node-a", "publisher");
    Path data = Files.createTempDirectory("stranger-test");
    database = TestDatabase.start();
    tests = Vertx.vertx();
    pool = database.pool(tests);
    database.seedDemo(tests, pool);
    alice = Fixtures.userId(pool, "alice");
    databaseRelay = database.relay(tests, network.rootAddress());

    String cluster = "stranger-test-" + UUID.randomUUID();
    int publisherPort = FreePorts.free();
    String members = network.rootAddress() + ":" + publisherPort + "," + network.address("a") + ":5701";
    NodeConfig publisherConfig = ConfigLoader.load(withTls(certificates, "publisher", Map.of(
        "CLUSTER_NAME", cluster, "CLUSTER_HOST", network.rootAddress(), "CLUSTER_PORT", Integer.toString(publisherPort),
        "CLUSTER_MEMBERS", members, "DATA_DIR", data.resolve("publisher-data").toString())));
    publisher = TestDatabase.await(ClusterBootstrap.start(publisherConfig, new VertxOptions(),
        ClusterBootstrap.clusterManager(publisherConfig)));

    Map<String, String> nodeEnv = withTls(certificates, "node-a", Map.ofEntries(
        Map.entry("ROLES", "stream"), Map.entry("PORT", Integer.toString(EDGE_PORT)), Map.entry("ADMIN_PORT", "8081"),
        Map.entry("BIND_HOST", network.address("a")), Map.entry("CLUSTER_NAME", cluster),
        Map.entry("CLUSTER_HOST", network.address("a")), Map.entry("CLUSTER_PORT", "5701"),
        Map.entry("CLUSTER_MEMBERS", members), Map.entry("DATA_DIR", data.resolve("node-a-data").toString()),
        Map.entry("CREDENTIALS_KEY", database.settings().get("CREDENTIALS_KEY")),
        Map.entry("DATABASE_URL", database.urlThrough(databaseRelay, network.rootAddress()))));
    node = NodeProcess.start(network.launcher("a"), "node-a", Main.class, nodeEnv, List.of());
    node.awaitLine("Stream edge listening", START);

    stranger = NodeProcess.start(network.launcher("b"), "stranger", ClusterStranger.class, Map.of(
        "STRANGER_HOST", network.address("b"), "STRANGER_CLUSTER", cluster, "STRANGER_VICTIM", alice.toString(),
        "STRANGER_MEMBERS", members), List.of());
    assertThat(stranger.awaitLine("STRANGER joined", START)).as("the stranger joins Hazelcast").endsWith("members=3");
    stranger.awaitLine("STRANGER subscribed", START);

    aliceClient = new TestClient(tests, network.address("a"), EDGE_PORT, false);
    assertThat(aliceClient.login("alice", TestDatabase.PASSWORD).statusCode()).isEqualTo(200);
    aliceSocket = aliceClient.admittedSocket();
    aliceSocket.send("{\"type\":\"subscribe\",\"channels\":[\"positions\"]}");
    aliceSocket.awaitType("snapshot");
  }

  private static Map<String, String> withTls(ClusterCertificates certificates, String name,
      Map<String, String> settings) {
    Map<String, String> all = new HashMap<>(settings);
    all.putAll(certificates.settings(name));
    return all;
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      for (AutoCloseable closeable : new AutoCloseable[] {aliceSocket, stranger, node}) {
        if (closeable != null) {
          closeable.close();
        }
      }
      if (publisher != null) {
        TestDatabase.await(publisher.close());
      }
      if (tests != null) {
        TestDatabase.await(tests.close());
      }
      if (database != null) {
        database.close();
      }
    } finally {
      if (network != null) {
        network.close();
      }
    }
  }

  private static void publishToAlice(String price, long version) {
    Fixtures.publish(publisher, Fixtures.position(alice, "AAPL", price, version));
  }

  private static void awaitOnAlicesSocket(String price) throws InterruptedException {
    aliceSocket.awaitEntity("position", p -> price.equals(p.getString("currentPrice")) || p.encode().contains(price),
        Duration.ofSeconds(15));
  }

  @Test
  @Order(1)
  @DisplayName("subscribed to alice's address, it receives none of her events while her socket does")
  void cannotReadAUsersEvents() throws Exception {
    publishToAlice("171.11", 1_001);
    awaitOnAlicesSocket("171.11");
    publishToAlice("172.22", 1_002);
    awaitOnAlicesSocket("172.22");

    assertThat(stranger.output()).noneMatch(line -> line.startsWith("STRANGER received"));
    assertThat(stranger.output()).noneMatch(line -> line.contains("171.11") || line.contains("172.22"));
  }

  @Test
  @Order(2)
  @DisplayName("what it publishes or sends to alice's address never reaches her socket")
  void cannotDeliverToAUser() throws Exception {
    int mark = stranger.output().size();
    stranger.awaitLineAfter(mark, "STRANGER injected", Duration.ofSeconds(10));
    stranger.awaitLineAfter(stranger.output().size(), "STRANGER injected", Duration.ofSeconds(10));

    publishToAlice("173.33", 1_003);
    awaitOnAlicesSocket("173.33");

    assertThat(aliceSocket.received()).noneMatch(m -> m.encode().contains(ClusterStranger.FORGED_SYMBOL));
  }

  @Test
  @Order(3)
  @DisplayName("no string it reads from any Hazelcast object opens a session")
  void noBearerSecretInHazelcast() throws Exception {
    // Its dump sees the cluster's state: alice's socket slot names her.
    int mark = stranger.output().size();
    stranger.awaitLineAfter(mark, "STRANGER dumped", Duration.ofSeconds(15));
    assertThat(stranger.output()).anyMatch(line -> line.startsWith("STRANGER value") && line.contains(alice.toString()));

    Set<String> values = new LinkedHashSet<>();
    stranger.output().stream().filter(line -> line.startsWith("STRANGER value "))
        .forEach(line -> values.add(line.substring("STRANGER value ".length())));
    String cookie = aliceClient.cookie("session");
    assertThat(values).isNotEmpty().doesNotContain(cookie);

    for (String value : values) {
      TestClient thief = new TestClient(tests, network.address("a"), EDGE_PORT, false);
      thief.setCookie("session", value);
      assertThat(thief.get("/api/auth/me").statusCode()).as("cookie %s", value).isEqualTo(401);
    }
    assertThat(aliceClient.get("/api/auth/me").statusCode()).as("alice's own cookie still works").isEqualTo(200);
  }
}
