package com.portfoliostream.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.testkit.FreePorts;
import com.portfoliostream.testkit.NodeProcess;
import com.portfoliostream.common.cluster.ClusterBootstrap;
import com.portfoliostream.common.config.ConfigLoader;
import com.portfoliostream.common.config.NodeConfig;
import com.portfoliostream.common.db.Database;
import com.portfoliostream.common.security.CredentialCipher;
import com.portfoliostream.events.protocol.BusAddresses;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Two nodes in separate JVMs")
class TwoNodeClusterTest {

  private static final Duration START = Duration.ofSeconds(90);

  @TempDir Path dataDir;

  @Test
  @DisplayName("form one cluster from cluster.xml, and a publish reaches consumers on both")
  void formOneCluster() throws Exception {
    int portA = FreePorts.free();
    int portB = FreePorts.free();
    int portTest = FreePorts.free();
    String members = "127.0.0.1:" + portA + ",127.0.0.1:" + portB + ",127.0.0.1:" + portTest;
    String clusterName = "test-" + UUID.randomUUID();
    NodeConfig dbConfig = ConfigLoader.load(Map.of("DATA_DIR", dataDir.toString()));

    try (Database database = Database.open(dbConfig)) {
      String url = "postgresql://postgres@127.0.0.1:" + database.url().port() + "/" + database.url().database();
      Map<String, String> env = new HashMap<>();
      env.put("DATABASE_URL", url);
      env.put("CREDENTIALS_KEY", CredentialCipher.generateKey());
      env.put("CLUSTER_NAME", clusterName);
      env.put("CLUSTER_MEMBERS", members);
      env.put("PORT", "0");
      env.put("ADMIN_PORT", "0");
      env.put("SIM_PORT", "0");
      env.put("DEMO", "true");

      try (NodeProcess a = NodeProcess.start("node-a", Main.class, with(env, "CLUSTER_PORT", portA));
           NodeProcess b = NodeProcess.start("node-b", Main.class, with(env, "CLUSTER_PORT", portB))) {
        a.awaitLine("Node .* up", START);
        b.awaitLine("Node .* up", START);
        a.awaitLine("members now \\[127.0.0.1:\\d+, 127.0.0.1:\\d+\\]|members \\[127.0.0.1:\\d+, 127.0.0.1:\\d+\\]", START);

        Set<String> answered = pingFromThirdMember(clusterName, members, portTest);

        assertThat(answered).hasSize(2);
        assertThat(a.output()).noneMatch(l -> l.contains(" ERROR "));
        assertThat(b.output()).noneMatch(l -> l.contains(" ERROR "));
        assertThat(a.output().stream().filter(l -> l.contains("Demo data created")).count()
            + b.output().stream().filter(l -> l.contains("Demo data created")).count())
            .as("the demo is seeded by exactly one of two nodes starting together").isEqualTo(1);
      }
    }
  }

  /** Joins as a third member, publishes a ping, and collects the node ids that answer. */
  private static Set<String> pingFromThirdMember(String clusterName, String members, int port) throws Exception {
    NodeConfig config = ConfigLoader.load(Map.of("CLUSTER_NAME", clusterName,
        "CLUSTER_MEMBERS", members, "CLUSTER_PORT", Integer.toString(port), "ROLES", "admin"));
    Vertx vertx = ClusterBootstrap.start(config, new VertxOptions(), ClusterBootstrap.clusterManager(config))
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    try {
      Set<String> nodes = ConcurrentHashMap.newKeySet();
      String replyTo = "test.ping.replies." + UUID.randomUUID();
      vertx.eventBus().<JsonObject>consumer(replyTo, m -> nodes.add(m.body().getString("nodeId")))
          .completion().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (nodes.size() < 2 && System.nanoTime() < deadline) {
        vertx.eventBus().publish(BusAddresses.CLUSTER_PING, new JsonObject().put("replyTo", replyTo));
        Thread.sleep(500);
      }
      return Set.copyOf(nodes);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static Map<String, String> with(Map<String, String> env, String key, int value) {
    Map<String, String> copy = new HashMap<>(env);
    copy.put(key, Integer.toString(value));
    return copy;
  }
}
