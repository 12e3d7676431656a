package com.portfoliostream.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.testkit.Eventually;
import com.portfoliostream.testkit.FreePorts;
import com.portfoliostream.testkit.NodeProcess;
import com.portfoliostream.common.config.ConfigLoader;
import com.portfoliostream.common.db.Database;
import com.portfoliostream.common.metrics.MetricNames;
import com.portfoliostream.common.security.CredentialCipher;
import io.vertx.core.json.JsonObject;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("A node process's management port")
class NodeManagementTest {

  @TempDir Path dataDir;

  @Test
  @DisplayName("with every role serves /metrics with Vert.x's series and every role's own, readiness, and the cluster stats to an admin")
  void managementPort() throws Exception {
    Map<String, String> env = NodeStartupTest.isolated();
    env.put("DATA_DIR", dataDir.toString());
    env.put("DEMO", "true");
    env.put("ROLES", "all");
    env.put("SIM_PORT", Integer.toString(FreePorts.free()));
    try (NodeProcess node = NodeProcess.start("admin", Main.class, env)) {
      String listening = node.awaitLine("Management server listening on [^:]+:\\d+", Duration.ofSeconds(90));
      node.awaitLine("Node .* up", Duration.ofSeconds(90));
      Matcher port = Pattern.compile("listening on [^:]+:(\\d+)").matcher(listening);
      assertThat(port.find()).isTrue();
      String base = "http://127.0.0.1:" + port.group(1);
      CookieManager cookies = new CookieManager();
      HttpClient http = HttpClient.newBuilder().cookieHandler(cookies).build();

      HttpResponse<String> metrics = get(http, base + "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("websocket_active_connections ", "websocket_auth_failures_total ",
          "vertx_http_server_", "broker_last_event_age_seconds ", "broker_streams_owned ", "broker_market_open ",
          "order_queue_depth ", MetricNames.EVENT_LOOP_DELAY + "_count ");
      assertThat(get(http, base + "/readiness").statusCode()).isEqualTo(200);

      get(http, base + "/api/health");
      String xsrf = cookies.getCookieStore().getCookies().stream()
          .filter(c -> c.getName().equals("XSRF-TOKEN")).map(HttpCookie::getValue).findFirst().orElseThrow();
      HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/api/auth/login"))
          .header("Content-Type", "application/json").header("X-XSRF-TOKEN", xsrf)
          .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"test-password\"}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(login.statusCode()).isEqualTo(200);

      HttpResponse<String> stats = get(http, base + "/api/admin/websocket-stats");
      assertThat(stats.statusCode()).isEqualTo(200);
      JsonObject body = new JsonObject(stats.body());
      assertThat(body.getJsonArray("nodes")).hasSize(1);
      assertThat(body.getJsonArray("missingNodes")).isEmpty();
      assertThat(body.getString("status")).as(stats.body()).isEqualTo("healthy");
      assertThat(body.getLong("orderQueueDepth")).isZero();
      assertThat(get(http, base + "/admin/").body()).contains("admin console");
      node.terminate();
    }
  }

  @Test
  @DisplayName("readiness goes DOWN, naming the database, when the database is lost; liveness stays UP")
  void readinessFollowsTheDatabase() throws Exception {
    try (Database database = Database.open(ConfigLoader.load(Map.of("DATA_DIR", dataDir.toString())))) {
      Map<String, String> env = NodeStartupTest.isolated();
      env.put("DATABASE_URL", "postgresql://postgres@127.0.0.1:" + database.url().port() + "/" + database.url().database());
      env.put("CREDENTIALS_KEY", CredentialCipher.generateKey());
      env.put("ROLES", "stream");
      try (NodeProcess node = NodeProcess.start("readiness", Main.class, env)) {
        String listening = node.awaitLine("Management server listening on [^:]+:\\d+", Duration.ofSeconds(90));
        node.awaitLine("Node .* up", Duration.ofSeconds(90));
        Matcher port = Pattern.compile("listening on [^:]+:(\\d+)").matcher(listening);
        assertThat(port.find()).isTrue();
        String base = "http://127.0.0.1:" + port.group(1);
        HttpClient http = HttpClient.newHttpClient();
        assertThat(get(http, base + "/readiness").statusCode()).isEqualTo(200);

        database.close();

        HttpResponse<String> ready = awaitStatus(http, base + "/readiness", 503, Duration.ofSeconds(30));
        JsonObject checks = new JsonObject(ready.body());
        assertThat(checks.getString("outcome")).isEqualTo("DOWN");
        assertThat(checks.getJsonArray("checks").stream().map(JsonObject.class::cast)
            .filter(c -> c.getString("id").equals("database")).findFirst().orElseThrow().getString("status"))
            .isEqualTo("DOWN");
        assertThat(get(http, base + "/health").statusCode()).isEqualTo(200);
      }
    }
  }

  private static HttpResponse<String> awaitStatus(HttpClient http, String url, int status, Duration within)
      throws Exception {
    HttpResponse<String> response = Eventually.until(() -> get(http, url), r -> r.statusCode() == status, within);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return response;
  }


  private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
