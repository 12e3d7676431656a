package com.portfoliostream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.testkit.EdgeCluster;
import com.asyncapi.v2._6_0.model.AsyncAPI;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.portfoliostream.events.protocol.CloseReason;
import com.portfoliostream.events.protocol.ErrorCode;
import com.portfoliostream.events.protocol.EventType;
import com.portfoliostream.events.protocol.InfoCode;
import com.portfoliostream.web.http.ApiError;
import io.vertx.core.Vertx;
import io.vertx.openapi.contract.OpenAPIContract;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("docs/api")
class ApiDocsTest {

  private static final Path DOCS = Path.of("..", "docs", "api");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static EdgeCluster<StreamVerticle> cluster;

  @BeforeAll
  static void startNode() throws Exception {
    cluster = EdgeCluster.start(1, Map.of(), StreamEdge.ROLE);
  }

  @AfterAll
  static void stopNode() throws Exception {
    cluster.close();
  }

  @Test
  @DisplayName("openapi.yaml is a valid OpenAPI 3.1 contract documenting exactly the endpoints the edge serves")
  void openApiMatchesRouter() throws Exception {
    Vertx vertx = cluster.vertx();
    OpenAPIContract contract = EdgeCluster.await(OpenAPIContract.from(vertx, DOCS.resolve("openapi.yaml").toString()));

    Set<String> documented = contract.operations().stream()
        .map(op -> op.getHttpMethod().name() + " " + op.getOpenAPIPath()).collect(Collectors.toSet());
    Set<String> served = cluster.node(0).verticle().endpoints().stream()
        .map(e -> e.startsWith("ANY ") ? "GET " + e.substring(4) : e).collect(Collectors.toSet());
    assertThat(documented).isEqualTo(served);
  }

  @Test
  @DisplayName("openapi.yaml lists every REST error code")
  void openApiErrorCodes() throws Exception {
    JsonNode codes = YAML.readTree(DOCS.resolve("openapi.yaml").toFile())
        .at("/components/schemas/Error/properties/error/properties/code/enum");
    List<String> listed = new ArrayList<>();
    codes.forEach(c -> listed.add(c.asText()));

    assertThat(listed).containsExactlyInAnyOrder(
        java.util.Arrays.stream(ApiError.values()).map(Enum::name).toArray(String[]::new));
  }

  @Test
  @DisplayName("asyncapi.yaml parses as AsyncAPI 2.6 and documents every message, close code and error code")
  void asyncApiIsComplete() throws Exception {
    AsyncAPI asyncApi = YAML.copy().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
        .readValue(DOCS.resolve("asyncapi.yaml").toFile(), AsyncAPI.class);
    String text = java.nio.file.Files.readString(DOCS.resolve("asyncapi.yaml"));

    assertThat(asyncApi.getAsyncapi()).isEqualTo("2.6.0");
    Set<String> messages = asyncApi.getComponents().getMessages().keySet();
    for (EventType type : EventType.values()) {
      assertThat(messages).as("server message " + type.wire()).contains(type.wire());
    }
    assertThat(messages).contains("subscribe", "unsubscribe", "ping");
    for (CloseReason reason : CloseReason.values()) {
      assertThat(text).as(reason.name()).contains("{code: " + reason.code() + ", reason: '" + reason.reason(5) + "'");
    }
    for (ErrorCode code : ErrorCode.values()) {
      assertThat(text).contains(code.name());
    }
    for (InfoCode code : InfoCode.values()) {
      assertThat(text).contains(code.name());
    }
    assertThat(asyncApi.getChannels()).containsOnlyKeys("/ws/portfolio");
    assertThat(text.toLowerCase(Locale.ROOT)).contains("1009");
  }
}
