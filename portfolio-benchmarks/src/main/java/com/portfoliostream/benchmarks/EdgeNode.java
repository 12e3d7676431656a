package com.portfoliostream.benchmarks;

import com.portfoliostream.common.cluster.ClusterBootstrap;
import com.portfoliostream.common.config.ConfigLoader;
import com.portfoliostream.common.config.NodeConfig;
import com.portfoliostream.common.db.Database;
import com.portfoliostream.common.security.CredentialCipher;
import com.portfoliostream.testkit.FreePorts;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A stream node in its own JVM ({@link MeasuredNode}) on the benchmark's database, and a member of
 * its cluster in this JVM, from which the benchmark publishes the broker's events on the bus.
 */
final class EdgeNode implements AutoCloseable {

  private final int port;
  private final Vertx member;
  private final MeasuredNode node;

  private EdgeNode(int port, Vertx member, MeasuredNode node) {
    this.port = port;
    this.member = member;
    this.node = node;
  }

  /** Starts the member, then the node with {@code settings} on top of the stream role's, and waits until it is up. */
  static EdgeNode start(Database database, Map<String, String> settings, List<String> jvmFlags, VertxOptions memberOptions)
      throws Exception {
    int port = FreePorts.free();
    int nodeCluster = FreePorts.free();
    int memberCluster = FreePorts.free();
    String members = "127.0.0.1:" + nodeCluster + ",127.0.0.1:" + memberCluster;
    String clusterName = "bench-" + UUID.randomUUID();
    NodeConfig memberConfig = ConfigLoader.load(Map.of("CLUSTER_NAME", clusterName, "CLUSTER_MEMBERS", members,
        "CLUSTER_PORT", Integer.toString(memberCluster), "ROLES", "ingest"));
    Vertx member = ClusterBootstrap.start(memberConfig, memberOptions, ClusterBootstrap.clusterManager(memberConfig))
        .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    Map<String, String> env = new HashMap<>(Map.of("ROLES", "stream", "PORT", Integer.toString(port),
        "DATABASE_URL", databaseUrl(database),
        "CREDENTIALS_KEY", CredentialCipher.generateKey(), "CLUSTER_NAME", clusterName,
        "CLUSTER_PORT", Integer.toString(nodeCluster), "CLUSTER_MEMBERS", members, "DEMO", "false",
        "ADMIN_PORT", "0", "DATA_DIR", Files.createTempDirectory("bench-node").toString()));
    env.putAll(settings);
    MeasuredNode node = new MeasuredNode(env, jvmFlags);
    node.awaitUp();
    return new EdgeNode(port, member, node);
  }

  /** The benchmark's database as a node's DATABASE_URL (no password: the embedded server trusts loopback). */
  static String databaseUrl(Database database) {
    return "postgresql://postgres@127.0.0.1:" + database.url().port() + "/" + database.url().database();
  }

  int port() {
    return port;
  }

  /** The cluster member in this JVM: publish on its event bus, run the load on its event loop. */
  Vertx member() {
    return member;
  }

  MeasuredNode node() {
    return node;
  }

  @Override
  public void close() throws Exception {
    node.close();
    member.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
