package com.portfoliostream.stream.clients;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.common.metrics.MetricNames;
import com.portfoliostream.stream.StreamEdge;
import com.portfoliostream.stream.StreamVerticle;
import com.portfoliostream.testkit.EdgeCluster;
import com.portfoliostream.testkit.TestClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("POST /api/client-events: what browser clients report of their connection")
class ClientReportsTest {

  private static EdgeCluster<StreamVerticle> cluster;

  @BeforeAll
  static void startNode() throws Exception {
    cluster = EdgeCluster.start(1, Map.of(), StreamEdge.ROLE);
  }

  @AfterAll
  static void stopNode() throws Exception {
    cluster.close();
  }

  @Test
  @DisplayName("counts each reported status; refuses an unknown one whole (400), a report without a session (401) or CSRF token (403)")
  void countsAndRefuses() throws Exception {
    TestClient client = signedIn();
    double connecting = count("connecting");
    double connected = count("connected");
    double polling = count("polling");

    var counted = client.post("/api/client-events", report("connecting", "connected", "polling", "reconnecting", "connected"));
    var unknown = client.post("/api/client-events", report("connected", "exploded"));
    var empty = client.post("/api/client-events", new JsonObject().put("events", new JsonArray()));
    var notJson = client.send(HttpMethod.POST, "/api/client-events", "status=connected",
        Map.of("Content-Type", "application/json", "X-XSRF-TOKEN", client.cookie("XSRF-TOKEN")));
    TestClient stranger = new TestClient(cluster.clients(), cluster.node(0).port());
    stranger.get("/api/health");
    var anonymous = stranger.post("/api/client-events", report("connected"));
    var noToken = client.send(HttpMethod.POST, "/api/client-events", report("connected").encode(),
        Map.of("Content-Type", "application/json"));

    assertThat(counted.statusCode()).isEqualTo(204);
    assertThat(count("connecting") - connecting).isEqualTo(1);
    assertThat(count("connected") - connected).as("the refused reports counted nothing").isEqualTo(2);
    assertThat(count("polling") - polling).isEqualTo(1);
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.bodyAsJsonObject().getJsonObject("error").getJsonObject("details").getString("field"))
        .isEqualTo("events[1].status");
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(noToken.statusCode()).isEqualTo(403);
  }

  @Test
  @DisplayName("a session sends at most 12 reports a minute: the 13th is 429 with Retry-After, another session is not held back")
  void boundedPerSession() throws Exception {
    TestClient chatty = signedIn();
    for (int i = 0; i < ClientReports.REPORTS_PER_MINUTE; i++) {
      assertThat(chatty.post("/api/client-events", report("connected")).statusCode()).isEqualTo(204);
    }
    var refused = chatty.post("/api/client-events", report("connected"));
    var other = signedIn().post("/api/client-events", report("connected"));

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.getHeader("Retry-After")).isEqualTo("60");
    assertThat(refused.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("CLIENT_REPORTS_RATE_LIMITED");
    assertThat(other.statusCode()).isEqualTo(204);
  }

  private static TestClient signedIn() throws Exception {
    TestClient client = new TestClient(cluster.clients(), cluster.node(0).port());
    assertThat(client.login("alice", EdgeCluster.PASSWORD).statusCode()).isEqualTo(200);
    return client;
  }

  private static JsonObject report(String... statuses) {
    JsonArray events = new JsonArray();
    for (String status : statuses) {
      events.add(new JsonObject().put("status", status));
    }
    return new JsonObject().put("events", events);
  }

  private static double count(String status) {
    return cluster.node(0).context().metrics().find(MetricNames.CLIENT_STATUS_CHANGES).tag(MetricNames.TAG_STATUS, status)
        .counters().stream().mapToDouble(c -> c.count()).sum();
  }
}
