package com.portfoliostream.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.common.config.ConfigLoader;
import com.portfoliostream.common.db.Database;
import com.portfoliostream.common.security.CredentialCipher;
import com.portfoliostream.testkit.FreePorts;
import com.portfoliostream.testkit.NodeProcess;
import com.portfoliostream.testkit.ProcessCluster;
import com.portfoliostream.testkit.TestClient;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Only the roles that use broker credentials hold CREDENTIALS_KEY")
class LeastPrivilegeTest {

  @TempDir Path databaseDir;
  @TempDir Path edgeDir;

  @Test
  @DisplayName("an edge-only node starts and serves without CREDENTIALS_KEY, beside an ingest node that has it")
  void edgeStartsAndServesWithoutTheKey() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (Database database = Database.open(ConfigLoader.load(Map.of("DATA_DIR", databaseDir.toString())));
         ProcessCluster cluster = ProcessCluster.of(Main.class, "least-privilege", 2, database)) {
      String simPort = Integer.toString(FreePorts.free());
      cluster.startUp(0, "broker-roles", Map.of("ROLES", "ingest,orders,simulator", "SIM_PORT", simPort,
          "DATA_DIR", databaseDir.toString()));
      NodeProcess edge = cluster.start(1, "edge", Map.of("ROLES", "stream", "DEMO", "false", "PORT", "0",
          "DATA_DIR", edgeDir.toString()), Set.of("CREDENTIALS_KEY"));
      String listening = edge.awaitLine("Stream edge listening on [^ ]+:\\d+", ProcessCluster.START);
      edge.awaitLine("Node .* up: roles stream, .*; credentials key not held", ProcessCluster.START);

      TestClient client = new TestClient(vertx, port(listening));
      assertThat(client.login("alice", "demo").statusCode()).isEqualTo(200);
      var positions = client.get("/api/positions");
      assertThat(positions.statusCode()).isEqualTo(200);
      assertThat(positions.bodyAsJsonArray()).as("alice's positions, sealed broker account or not").isNotEmpty();
      assertThat(edgeDir.resolve(CredentialCipher.KEY_FILE)).as("no key made for the edge").doesNotExist();
      assertThat(edge.output()).noneMatch(l -> l.contains(" ERROR "));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  private static int port(String listening) {
    Matcher m = Pattern.compile(":(\\d+)").matcher(listening.substring(listening.indexOf("listening on")));
    assertThat(m.find()).isTrue();
    return Integer.parseInt(m.group(1));
  }
}
