package com.portfoliostream.admin;

import com.portfoliostream.web.Paths;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.portfoliostream.admin.stats.ClusterStats;
import com.portfoliostream.admin.stats.Collection;
import com.portfoliostream.common.stats.NodeStats;
import com.portfoliostream.testkit.EdgeCluster;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("docs/api/admin-openapi.yaml")
class AdminApiDocsTest {

  private static final Path DOC = Path.of("..", "docs", "api", "admin-openapi.yaml");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  @DisplayName("is a valid OpenAPI 3.1 contract of exactly the management and admin API endpoints")
  void validContract() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      OpenAPIContract contract = EdgeCluster.await(OpenAPIContract.from(vertx, DOC.toString()));
      Set<String> documented = contract.operations().stream()
          .map(op -> op.getHttpMethod().name() + " " + op.getOpenAPIPath()).collect(Collectors.toSet());
      assertThat(documented).containsExactlyInAnyOrder("GET " + Paths.METRICS,
          "GET " + Paths.LIVENESS, "GET " + Paths.READINESS, "GET " + Paths.ADMIN_STATS,
          "GET /api/admin/users", "POST /api/admin/users", "DELETE /api/admin/users/{username}",
          "POST /api/admin/users/{username}/disable", "POST /api/admin/users/{username}/enable",
          "POST /api/admin/users/{username}/password", "PUT /api/admin/users/{username}/account",
          "DELETE /api/admin/users/{username}/account", "POST /api/admin/users/{username}/account/secret",
          "POST /api/admin/users/{username}/account/test", "GET /api/admin/rollout", "PUT /api/admin/rollout",
          "PUT /api/admin/rollout/users/{username}", "DELETE /api/admin/rollout/users/{username}",
          "GET /api/admin/audit");
    } finally {
      EdgeCluster.await(vertx.close());
    }
  }

  @Test
  @DisplayName("documents every field of the websocket-stats answer and of its node rows, and no other")
  void statsSchemaMatchesTheAnswer() throws Exception {
    JsonNode schema = YAML.readTree(DOC.toFile()).at("/components/schemas/WebSocketStats");
    JsonObject answer = new JsonObject().put("nodeId", "n1").put("clusterNodeId", "c1")
        .put("roles", new JsonArray().add("stream")).put("startedAt", Instant.EPOCH.toString());
    JsonObject stats = ClusterStats.of(new Collection(Instant.EPOCH, List.of(NodeStats.fromJson(answer)), List.of("c2")), 100);

    assertThat(names(schema.path("properties"))).isEqualTo(stats.fieldNames());
    assertThat(names(schema.at("/properties/nodes/items/properties")))
        .isEqualTo(stats.getJsonArray("nodes").getJsonObject(0).fieldNames());
    assertThat(names(schema.at("/properties/missingNodes/items/properties")))
        .isEqualTo(stats.getJsonArray("missingNodes").getJsonObject(0).fieldNames());
    Set<String> required = new HashSet<>();
    schema.path("required").forEach(r -> required.add(r.asText()));
    assertThat(stats.fieldNames()).containsAll(required);
  }

  private static Set<String> names(JsonNode properties) {
    Set<String> names = new HashSet<>();
    properties.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
