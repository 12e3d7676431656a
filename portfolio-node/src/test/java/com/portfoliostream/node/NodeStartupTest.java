package com.portfoliostream.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.testkit.FreePorts;
import com.portfoliostream.testkit.NodeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("A node process")
class NodeStartupTest {

  private static final Duration START = Duration.ofSeconds(90);

  @TempDir Path dataDir;

  @ParameterizedTest(name = "{0}={1} exits {2} with one line: {3}")
  @CsvSource(delimiter = '|', value = {
      "PORT         | abc                                  | 2 | invalid configuration: PORT must be a whole number from 0 to 65535, got 'abc'",
      "ROLES        | stream,trading                       | 2 | invalid configuration: ROLES has an unknown role 'trading'",
      "CLUSTER_PORT | 0                                    | 2 | invalid configuration: CLUSTER_PORT must be a whole number from 1 to 65535",
      "DATABASE_URL | postgresql://postgres@127.0.0.1:1/db | 3 | cannot reach the database at 127.0.0.1:1/db",
  })
  void failsFastOnBadConfig(String name, String value, int status, String message) throws Exception {
    Map<String, String> env = isolated();
    env.put(name, value);
    try (NodeProcess node = NodeProcess.start("bad-" + name, Main.class, env)) {
      int exit = node.awaitExit(Duration.ofSeconds(60));

      List<String> errors = node.output().stream().filter(l -> l.contains(" ERROR ")).toList();
      assertThat(exit).isEqualTo(status);
      assertThat(errors).singleElement().satisfies(l -> assertThat(l).contains("portfolio-node: " + message));
      assertThat(node.output()).noneMatch(l -> l.startsWith("\tat ") || l.startsWith("Exception"));
    }
  }

  @Test
  @DisplayName("starts on the embedded database with the demo, stops on SIGTERM, and restarts keeping its data")
  void embeddedDatabaseSurvivesRestart() throws Exception {
    Map<String, String> env = isolated();
    env.put("DATA_DIR", dataDir.toString());
    env.put("DEMO", "true");

    try (NodeProcess first = NodeProcess.start("first", Main.class, env)) {
      first.awaitLine("\\([1-9][0-9]* migrations applied now\\)", START);
      first.awaitLine("Demo data created for \\[alice, bob, admin\\]", START);
      first.awaitLine("Node .* up: roles admin,ingest,orders,simulator,stream", START);
      assertThat(first.output()).as("the default iterations").noneMatch(l -> l.contains("PASSWORD_HASH_ITERATIONS"));
      first.terminate();
      first.awaitLine("Embedded PostgreSQL stopped", Duration.ofSeconds(30));
      first.awaitExit(Duration.ofSeconds(30));
    }
    assertThat(dataDir.resolve("postgres/postmaster.pid")).doesNotExist();

    try (NodeProcess second = NodeProcess.start("second", Main.class, env)) {
      second.awaitLine("\\(0 migrations applied now\\)", START);
      second.awaitLine("Node .* up", START);
      assertThat(second.output()).noneMatch(l -> l.contains("Demo data created"));
      second.terminate();
      second.awaitExit(Duration.ofSeconds(30));
    }
    assertThat(Files.readString(dataDir.resolve("credentials.key")).trim()).hasSize(44);
  }

  @Test
  @DisplayName("a node told PASSWORD_HASH_ITERATIONS below the default starts, with one WARN line saying so")
  void warnsOfCheapHashes() throws Exception {
    Map<String, String> env = isolated();
    env.put("DATA_DIR", dataDir.toString());
    env.put("ROLES", "stream");
    env.put("PASSWORD_HASH_ITERATIONS", "10000");

    try (NodeProcess node = NodeProcess.start("cheap-hashes", Main.class, env)) {
      node.awaitLine("Node .* up: roles stream", START);

      assertThat(node.output()).filteredOn(l -> l.contains(" WARN ") && l.contains("PASSWORD_HASH_ITERATIONS"))
          .singleElement().satisfies(l -> assertThat(l).contains("10000, below the default 210000"));
      node.terminate();
      node.awaitExit(Duration.ofSeconds(30));
    }
  }

  /** Settings that keep a test node away from any other cluster or port on the machine. */
  static Map<String, String> isolated() {
    int clusterPort = FreePorts.free();
    Map<String, String> env = new HashMap<>();
    env.put("PORT", "0");
    env.put("ADMIN_PORT", "0");
    env.put("SIM_PORT", "0");
    env.put("CLUSTER_NAME", "test-" + UUID.randomUUID());
    env.put("CLUSTER_PORT", Integer.toString(clusterPort));
    env.put("CLUSTER_MEMBERS", "127.0.0.1:" + clusterPort);
    env.put("DEMO_PASSWORD", "test-password");
    return env;
  }
}
