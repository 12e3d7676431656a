package com.portfoliostream.benchmarks;

import com.portfoliostream.web.Paths;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/** One benchmark user: signs in over REST, holds one socket subscribed to every channel. */
final class BenchClient {

  private final Vertx vertx;
  private final int port;
  private final String cookies;
  private WebSocketClient client;
  private WebSocket socket;
  private volatile LatencyBook book = new LatencyBook();

  private BenchClient(Vertx vertx, int port, String cookies) {
    this.vertx = vertx;
    this.port = port;
    this.cookies = cookies;
  }

  static BenchClient signIn(Vertx vertx, int port, String username, String password) throws Exception {
    WebClient web = WebClient.create(vertx);
    HttpResponse<Buffer> login = login(web, port, username, password)
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    // Its idle connections would count against the node's MAX_CONNECTIONS_PER_ADDRESS.
    web.close();
    if (login.statusCode() != 200) {
      throw new IllegalStateException("login of " + username + " failed: " + login.bodyAsString());
    }
    return new BenchClient(vertx, port, sessionCookie(login));
  }

  /** A browser's sign-in: a GET for the CSRF cookie, then {@code POST /api/auth/login} with the token. */
  static Future<HttpResponse<Buffer>> login(WebClient web, int port, String username, String password) {
    return web.get(port, "127.0.0.1", Paths.API_HEALTH).send().compose(health -> {
      String xsrf = cookie(health.cookies(), "XSRF-TOKEN");
      String session = cookie(health.cookies(), "session");
      return web.post(port, "127.0.0.1", Paths.LOGIN)
          .putHeader("Content-Type", "application/json").putHeader("X-XSRF-TOKEN", xsrf)
          .putHeader("Cookie", "XSRF-TOKEN=" + xsrf + (session == null ? "" : "; session=" + session))
          .sendBuffer(Buffer.buffer(new JsonObject().put("username", username).put("password", password).encode()));
    });
  }

  /** The {@code Cookie} header a signed-in client sends: its session cookie. */
  static String sessionCookie(HttpResponse<Buffer> login) {
    return "session=" + cookie(login.cookies(), "session");
  }

  private static String cookie(List<String> setCookies, String name) {
    for (String setCookie : setCookies) {
      if (setCookie.startsWith(name + "=")) {
        return setCookie.substring(name.length() + 1).split(";", 2)[0];
      }
    }
    return null;
  }

  void openSocket() throws Exception {
    client = vertx.createWebSocketClient();
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
        .setURI(Paths.PORTFOLIO_SOCKET).setHeaders(MultiMap.caseInsensitiveMultiMap().add("Cookie", cookies));
    socket = client.connect(options).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    socket.textMessageHandler(text -> book.record(new JsonObject(text), System.currentTimeMillis()));
    socket.writeTextMessage("{\"type\":\"subscribe\",\"channels\":[\"positions\",\"orders\",\"account\",\"trades\"]}");
  }

  LatencyBook book() {
    return book;
  }

  void reset() {
    book = new LatencyBook();
  }

  void close() {
    socket.close();
    client.close();
  }

  /** Percentiles over every client's samples, per kind. */
  static Map<String, Map<String, Long>> merge(List<BenchClient> clients) {
    Set<String> kinds = new TreeSet<>();
    clients.forEach(client -> kinds.addAll(client.book.kinds()));
    Map<String, Map<String, Long>> result = new LinkedHashMap<>();
    for (String kind : kinds) {
      List<Long> all = new ArrayList<>();
      for (BenchClient client : clients) {
        all.addAll(client.book.samples(kind));
      }
      Collections.sort(all);
      result.put(kind, LatencyBook.summarize(all));
    }
    return result;
  }
}
