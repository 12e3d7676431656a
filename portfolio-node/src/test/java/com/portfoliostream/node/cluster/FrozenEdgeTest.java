package com.portfoliostream.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.common.config.ConfigLoader;
import com.portfoliostream.common.db.Database;
import com.portfoliostream.node.Main;
import com.portfoliostream.testkit.FreePorts;
import com.portfoliostream.testkit.NodeProcess;
import com.portfoliostream.testkit.ProcessCluster;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two edge processes on one database. Alice holds her five sockets (the per-user limit) on edge
 * A; A is frozen with SIGSTOP, as a hung host would be. Her reconnects to edge B are admitted as
 * soon as A's socket lease lapses, never refused 1008; when A is thawed it drops its stale sockets
 * with 1012 instead of serving them.
 */
@DisplayName("A frozen edge")
class FrozenEdgeTest {

  private static final Logger LOG = LoggerFactory.getLogger(FrozenEdgeTest.class);

  /** When a balancer checking every second has marked the frozen edge down (fall 3). */
  private static final long DETECTED_AFTER_MS = 3_000;

  @TempDir Path dataDir;

  @Test
  @DisplayName("costs its users one reconnect elsewhere (no 1008) and, thawed, drops its stale sockets with 1012")
  void frozenEdge() throws Exception {
    try (Database database = Database.open(ConfigLoader.load(Map.of("DATA_DIR", dataDir.toString())));
         ProcessCluster nodes = ProcessCluster.of(Main.class, "frozen", 2, database).with("ROLES", "stream")) {
      int portA = FreePorts.free();
      int portB = FreePorts.free();
      NodeProcess a = nodes.startUp(0, "edge-a", Map.of("PORT", Integer.toString(portA)));
      nodes.startUp(1, "edge-b", Map.of("PORT", Integer.toString(portB)));
      CookieManager cookies = new CookieManager();
      HttpClient http = HttpClient.newBuilder().cookieHandler(cookies).build();
      signIn(http, cookies, portA);

      List<Socket> onA = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        onA.add(Socket.open(http, portA));
      }
      for (Socket socket : onA) {
        assertThat(socket.subscribed.get(30, TimeUnit.SECONDS)).contains("SUBSCRIBED");
      }

      a.freeze();
      long frozenAt = System.nanoTime();
      // The clients notice as HAProxy would show them (three failed checks a second apart, then
      // the sessions cut): they reconnect from then on.
      Thread.sleep(DETECTED_AFTER_MS);
      List<Integer> refusals = new CopyOnWriteArrayList<>();
      List<Socket> onB = new ArrayList<>();
      while (onB.size() < 5) {
        assertThat(Duration.ofNanos(System.nanoTime() - frozenAt)).as("all five back on B while A is still frozen")
            .isLessThan(Duration.ofSeconds(60));
        Socket socket = Socket.open(http, portB);
        String first = CompletableFuture.anyOf(socket.subscribed, socket.closed).get(30, TimeUnit.SECONDS).toString();
        if (socket.closed.isDone()) {
          refusals.add(Integer.parseInt(first.split(" ")[0]));
          Thread.sleep(500);
        } else {
          onB.add(socket);
        }
      }
      Duration reconnected = Duration.ofNanos(System.nanoTime() - frozenAt);
      assertThat(refusals).as("refusals while A's lease ran out: only 'try again' (1013), never the final 1008")
          .allMatch(code -> code == 1013);
      LOG.info("all five back on B {} ms after A froze", reconnected.toMillis());

      a.thaw();
      for (Socket stale : onA) {
        assertThat(stale.closed.get(30, TimeUnit.SECONDS)).isEqualTo("1012 Node rejoining the cluster - reconnect");
      }
      a.awaitLine("lapsed .*this node stalled", Duration.ofSeconds(10));
      for (Socket socket : onB) {
        assertThat(socket.closed).as("the sockets on B stay").isNotDone();
      }
    }
  }

  private static void signIn(HttpClient http, CookieManager cookies, int port) throws Exception {
    String base = "http://127.0.0.1:" + port;
    http.send(HttpRequest.newBuilder(URI.create(base + "/api/health")).build(), HttpResponse.BodyHandlers.ofString());
    String xsrf = cookies.getCookieStore().getCookies().stream()
        .filter(c -> c.getName().equals("XSRF-TOKEN")).map(HttpCookie::getValue).findFirst().orElseThrow();
    HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/api/auth/login"))
        .header("Content-Type", "application/json").header("X-XSRF-TOKEN", xsrf)
        .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"alice\",\"password\":\"" + com.portfoliostream.demo.DemoPortfolio.DEFAULT_PASSWORD + "\"}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
  }

  /** One of alice's sockets: its first answer to a subscribe, and its close. */
  private static final class Socket {
    final CompletableFuture<String> subscribed = new CompletableFuture<>();
    final CompletableFuture<String> closed = new CompletableFuture<>();

    static Socket open(HttpClient http, int port) throws Exception {
      Socket socket = new Socket();
      WebSocket ws = http.newWebSocketBuilder()
          .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/portfolio"), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
              socket.subscribed.complete(data.toString());
              webSocket.request(1);
              return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
              socket.closed.complete(statusCode + " " + reason);
              return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
              socket.closed.complete("0 " + error);
            }
          }).get(30, TimeUnit.SECONDS);
      ws.sendText("{\"type\":\"subscribe\",\"channels\":[\"account\"]}", true);
      return socket;
    }
  }
}
