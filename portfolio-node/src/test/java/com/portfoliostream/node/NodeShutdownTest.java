package com.portfoliostream.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.testkit.NodeProcess;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("A node process serving sockets")
class NodeShutdownTest {

  @TempDir Path dataDir;

  @Test
  @DisplayName("on SIGTERM drains: readiness down at once while it still serves for DRAIN_SECONDS, then every socket closes 1001, its slot and lease are given up cleanly, and it exits 143")
  void sigtermDrainsThenClosesSocketsWithGoingAway() throws Exception {
    Map<String, String> env = NodeStartupTest.isolated();
    int management = com.portfoliostream.testkit.FreePorts.free();
    env.put("ADMIN_PORT", Integer.toString(management));
    env.put("DATA_DIR", dataDir.toString());
    env.put("DEMO", "true");
    env.put("ROLES", "stream");
    env.put("DRAIN_SECONDS", "4");
    try (NodeProcess node = NodeProcess.start("edge", Main.class, env)) {
      String listening = node.awaitLine("Stream edge listening on [^:]+:\\d+", Duration.ofSeconds(90));
      node.awaitLine("Node .* up", Duration.ofSeconds(90));
      Matcher port = Pattern.compile("listening on [^:]+:(\\d+)").matcher(listening);
      assertThat(port.find()).isTrue();
      String base = "http://127.0.0.1:" + port.group(1);

      CookieManager cookies = new CookieManager();
      HttpClient http = HttpClient.newBuilder().cookieHandler(cookies).build();
      http.send(HttpRequest.newBuilder(URI.create(base + "/api/health")).build(), HttpResponse.BodyHandlers.ofString());
      String xsrf = cookies.getCookieStore().getCookies().stream()
          .filter(c -> c.getName().equals("XSRF-TOKEN")).map(HttpCookie::getValue).findFirst().orElseThrow();
      HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/api/auth/login"))
          .header("Content-Type", "application/json").header("X-XSRF-TOKEN", xsrf)
          .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"alice\",\"password\":\"test-password\"}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(login.statusCode()).isEqualTo(200);

      CompletableFuture<String> closed = new CompletableFuture<>();
      CompletableFuture<String> firstMessage = new CompletableFuture<>();
      WebSocket socket = http.newWebSocketBuilder()
          .buildAsync(URI.create("ws://127.0.0.1:" + port.group(1) + "/ws/portfolio"), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
              firstMessage.complete(data.toString());
              ws.request(1);
              return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
              closed.complete(statusCode + " " + reason);
              return null;
            }
          }).get(30, TimeUnit.SECONDS);
      socket.sendText("{\"type\":\"subscribe\",\"channels\":[\"account\"]}", true);
      assertThat(firstMessage.get(30, TimeUnit.SECONDS)).contains("\"SUBSCRIBED\"");

      URI readiness = URI.create("http://127.0.0.1:" + management + "/readiness");
      assertThat(http.send(HttpRequest.newBuilder(readiness).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(200);
      long terminated = System.nanoTime();
      node.terminate();

      node.awaitLine("draining: readiness down", Duration.ofSeconds(10));
      HttpResponse<String> draining = http.send(HttpRequest.newBuilder(readiness).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(draining.statusCode()).as("HAProxy's disable-on-404: no new connections, the open ones go on").isEqualTo(404);
      assertThat(draining.body()).contains("draining");
      assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/api/health")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).as("still serving while draining").isEqualTo(200);
      assertThat(closed).as("sockets stay open while draining").isNotDone();

      assertThat(closed.get(30, TimeUnit.SECONDS)).isEqualTo("1001 Server shutting down");
      assertThat(Duration.ofNanos(System.nanoTime() - terminated)).as("sockets closed after the drain")
          .isGreaterThanOrEqualTo(Duration.ofSeconds(3));
      node.awaitLine("Node .* stopped", Duration.ofSeconds(30));
      assertThat(node.awaitExit(Duration.ofSeconds(30))).isEqualTo(143);
      List<String> output = node.output();
      List<String> stopping = output.subList(output.indexOf(node.awaitLine("Node .* stopping", Duration.ZERO)), output.size());
      assertThat(stopping).as("the socket's slot and the node's lease given up while the pool still served")
          .noneMatch(line -> line.contains(" WARN ") || line.contains(" ERROR "));
    }
  }
}
