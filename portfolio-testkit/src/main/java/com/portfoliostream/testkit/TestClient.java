package com.portfoliostream.testkit;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A browser-like user of one node: keeps its cookies, echoes the CSRF cookie in the header, and
 * opens portfolio sockets with a {@code Cookie} header as the API reference's Node.js client does.
 */
public final class TestClient {

  private final Vertx vertx;
  private final WebClient web;
  private static final String HOST_PREFIX = "__Host-";
  private final Map<String, String> cookies = new LinkedHashMap<>();
  private final String host;
  private final int port;
  private final boolean tls;

  public TestClient(Vertx vertx, int port) {
    this(vertx, port, false);
  }

  /** With {@code tls}, speaks HTTPS and WSS, trusting the test's self-signed certificate. */
  public TestClient(Vertx vertx, int port, boolean tls) {
    this(vertx, "127.0.0.1", port, tls);
  }

  /** A node on another address than loopback (a test network namespace's). */
  public TestClient(Vertx vertx, String host, int port, boolean tls) {
    this.vertx = vertx;
    this.host = host;
    this.web = WebClient.create(vertx, new io.vertx.ext.web.client.WebClientOptions()
        .setSsl(tls).setTrustAll(tls).setVerifyHost(false));
    this.port = port;
    this.tls = tls;
  }

  /** The same cookies, talking to another node (as behind a load balancer). */
  public TestClient onPort(int otherPort) {
    TestClient copy = new TestClient(vertx, host, otherPort, tls);
    copy.cookies.putAll(cookies);
    return copy;
  }

  /**
   * A cookie by its plain name: also found under its {@code __Host-} name, which the node gives its
   * cookies when they are Secure (as a browser script reads either).
   */
  public String cookie(String name) {
    return cookies.containsKey(HOST_PREFIX + name) ? cookies.get(HOST_PREFIX + name) : cookies.get(name);
  }

  /** The cookies exactly as the node named them. */
  public Map<String, String> cookies() {
    return Map.copyOf(cookies);
  }

  public void setCookie(String name, String value) {
    cookies.put(name, value);
  }

  public HttpResponse<Buffer> login(String username, String password) throws Exception {
    if (cookie("XSRF-TOKEN") == null) {
      get("/api/health");
    }
    return post("/api/auth/login", new JsonObject().put("username", username).put("password", password));
  }

  public HttpResponse<Buffer> get(String path) throws Exception {
    return send(HttpMethod.GET, path, null, Map.of());
  }

  public HttpResponse<Buffer> post(String path, JsonObject body) throws Exception {
    return send(HttpMethod.POST, path, body == null ? null : body.encode(),
        Map.of("Content-Type", "application/json", "X-XSRF-TOKEN", java.util.Objects.toString(cookie("XSRF-TOKEN"), "")));
  }

  public HttpResponse<Buffer> send(HttpMethod method, String path, String body, Map<String, String> headers) throws Exception {
    var request = web.request(method, port, host, path);
    headers.forEach(request::putHeader);
    if (!cookies.isEmpty()) {
      request.putHeader("Cookie", cookieHeader());
    }
    Future<HttpResponse<Buffer>> response = body == null ? request.send() : request.sendBuffer(Buffer.buffer(body));
    HttpResponse<Buffer> result = response.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    remember(result.cookies());
    return result;
  }

  private void remember(java.util.List<String> setCookies) {
    for (String setCookie : setCookies) {
      String pair = setCookie.split(";", 2)[0];
      int eq = pair.indexOf('=');
      String name = pair.substring(0, eq).trim();
      String value = pair.substring(eq + 1).trim();
      boolean expired = setCookie.toLowerCase().contains("max-age=0") || value.isEmpty();
      if (expired) {
        cookies.remove(name);
      } else {
        cookies.put(name, value);
      }
    }
  }

  public String cookieHeader() {
    return cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; "));
  }

  /** Opens {@code /ws/portfolio} with this client's cookies; fails with the HTTP status when refused. */
  public TestSocket socket() throws Exception {
    return socket(Map.of());
  }

  /**
   * A socket proven admitted (it answered a ping). Slots of closed sockets are released
   * asynchronously, so a refused attempt is retried for a few seconds.
   */
  public TestSocket admittedSocket() throws Exception {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
    while (true) {
      TestSocket socket = socket();
      socket.send("{\"type\":\"ping\"}");
      try {
        socket.await(m -> "pong".equals(m.getString("type")), java.time.Duration.ofSeconds(2));
        return socket;
      } catch (AssertionError refused) {
        String closed = socket.isClosed() ? String.valueOf(socket.awaitClose(java.time.Duration.ofSeconds(1))) : "open";
        socket.close();
        if (System.nanoTime() > deadline) {
          throw new AssertionError("socket not admitted: " + closed, refused);
        }
        Thread.sleep(200);
      }
    }
  }

  public TestSocket socket(Map<String, String> headers) throws Exception {
    WebSocketConnectOptions options = new WebSocketConnectOptions()
        .setHost(host).setPort(port).setURI("/ws/portfolio").setSsl(tls);
    MultiMap all = MultiMap.caseInsensitiveMultiMap();
    if (!cookies.isEmpty()) {
      all.add("Cookie", cookieHeader());
    }
    headers.forEach(all::add);
    options.setHeaders(all);
    // Frames up to 1 MiB, so that tests can send one frame larger than the server accepts.
    WebSocketClientOptions clientOptions = new WebSocketClientOptions().setMaxFrameSize(1 << 20)
        .setMaxMessageSize(1 << 21).setTrustAll(tls).setVerifyHost(false);
    // The socket keeps its client referenced: Vert.x closes the connections of a client that is
    // garbage collected.
    io.vertx.core.http.WebSocketClient client = vertx.createWebSocketClient(clientOptions);
    // Wrapped on the event loop as the upgrade completes, before any frame can be missed.
    return client.connect(options).map(ws -> new TestSocket(ws, client))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
