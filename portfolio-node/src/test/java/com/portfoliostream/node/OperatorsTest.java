package com.portfoliostream.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.common.control.RolloutPolicy;
import com.portfoliostream.testkit.Eventually;
import com.portfoliostream.testkit.FreePorts;
import com.portfoliostream.testkit.NodeProcess;
import com.portfoliostream.testkit.SimulatorControl;
import com.portfoliostream.testkit.TestClient;
import com.portfoliostream.testkit.TestSocket;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operators against a real node process (every role, embedded PostgreSQL, the simulator): the admin
 * API with every refusal, the CLI on the same database, runtime rollout, key rotation while the
 * node streams. No secret or password of the test appears in any answer or any line the node logs.
 */
@DisplayName("Operators running the service for real users")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorsTest {

  private static final String TOKEN = "control-token-" + UUID.randomUUID();
  private static final String NEW_SECRET = "carol-secret-" + UUID.randomUUID();
  private static final String CAROL_PASSWORD = "Pw-" + UUID.randomUUID();

  @TempDir static Path dataDir;
  private static NodeProcess node;
  private static Vertx vertx;
  private static Map<String, String> env;
  private static int edgePort;
  private static int adminPort;
  private static int simPort;

  @BeforeAll
  static void start() throws Exception {
    env = NodeStartupTest.isolated();
    simPort = FreePorts.free();
    env.put("DATA_DIR", dataDir.toString());
    env.put("DEMO", "true");
    env.put("ROLES", "all");
    env.put("SIM_PORT", Integer.toString(simPort));
    env.put("SIM_CONTROL_TOKEN", TOKEN);
    env.put("PASSWORD_HASH_ITERATIONS", "10000");
    env.put("RECONCILE_INTERVAL_SECONDS", "5");
    node = NodeProcess.start("operators", Main.class, env);
    edgePort = port(node.awaitLine("Stream edge listening on [^:]+:\\d+", Duration.ofSeconds(120)));
    adminPort = port(node.awaitLine("Management server listening on [^:]+:\\d+", Duration.ofSeconds(120)));
    node.awaitLine("Node .* up", Duration.ofSeconds(120));
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.terminate();
      assertThat(String.join("\n", node.output())).as("the node's log")
          .doesNotContain(NEW_SECRET, CAROL_PASSWORD, "demo-secret-alice", "Weak-but-long-pass-1")
          .doesNotContain(" ERROR ");
      node.close();
    }
    if (vertx != null) {
      vertx.close().await();
    }
  }

  @Test
  @Order(1)
  @DisplayName("the admin API refuses traders (403), missing CSRF (403), weak passwords (400), duplicates (409), unknown users (404), bad secrets (502)")
  void refusals() throws Exception {
    TestClient trader = new TestClient(vertx, adminPort);
    assertThat(trader.login("alice", "test-password").statusCode()).isEqualTo(200);
    assertThat(trader.get("/api/admin/users").statusCode()).isEqualTo(403);
    assertThat(trader.post("/api/admin/users", user("eve", "Long-enough-password", "admin")).statusCode()).isEqualTo(403);

    TestClient admin = signedIn("admin", "test-password");
    HttpResponse<Buffer> noCsrf = admin.send(HttpMethod.POST, "/api/admin/users",
        new JsonObject().put("username", "mallory").put("password", "Long-enough-password").put("role", "trader").encode(),
        Map.of("Content-Type", "application/json"));
    assertThat(noCsrf.statusCode()).isEqualTo(403);
    assertThat(code(noCsrf)).isEqualTo("CSRF_TOKEN_INVALID");

    HttpResponse<Buffer> weak = admin.post("/api/admin/users", user("dave", "short", "trader"));
    assertThat(weak.statusCode()).isEqualTo(400);
    assertThat(weak.bodyAsJsonObject().getJsonObject("error").getJsonObject("details").getString("password")).contains("12");
    HttpResponse<Buffer> named = admin.post("/api/admin/users", user("dave", "dave-is-the-password", "trader"));
    assertThat(named.statusCode()).isEqualTo(400);
    assertThat(admin.post("/api/admin/users", user("dave", "Weak-but-long-pass-1", "boss")).statusCode()).isEqualTo(400);
    assertThat(admin.post("/api/admin/users", user("Alice", "Weak-but-long-pass-1", "trader")).statusCode()).isEqualTo(400);

    HttpResponse<Buffer> duplicate = admin.post("/api/admin/users", user("alice", "Weak-but-long-pass-1", "trader"));
    assertThat(duplicate.statusCode()).isEqualTo(409);
    assertThat(code(duplicate)).isEqualTo("CONFLICT");

    assertThat(admin.post("/api/admin/users/nobody/disable", new JsonObject()).statusCode()).isEqualTo(404);
    assertThat(admin.post("/api/admin/users/nobody/account/test", new JsonObject()).statusCode()).isEqualTo(404);
    assertThat(admin.send(HttpMethod.DELETE, "/api/admin/users/nobody/account", null,
        Map.of("X-XSRF-TOKEN", admin.cookie("XSRF-TOKEN"))).statusCode()).isEqualTo(404);
    assertThat(admin.post("/api/admin/users/admin/disable", new JsonObject()).statusCode())
        .as("an admin does not disable themselves").isEqualTo(409);

    assertThat(admin.post("/api/admin/users", user("dave", "Weak-but-long-pass-1", "trader")).statusCode()).isEqualTo(201);
    HttpResponse<Buffer> wrongSecret = admin.send(HttpMethod.PUT, "/api/admin/users/dave/account",
        new JsonObject().put("environment", "simulator").put("keyId", "PKDEMOALICE00000001").put("secret", NEW_SECRET).encode(),
        Map.of("Content-Type", "application/json", "X-XSRF-TOKEN", admin.cookie("XSRF-TOKEN")));
    assertThat(wrongSecret.statusCode()).as(wrongSecret.bodyAsString()).isEqualTo(502);
    assertThat(code(wrongSecret)).isEqualTo("BROKER_REFUSED");
    HttpResponse<Buffer> badEnvironment = admin.send(HttpMethod.PUT, "/api/admin/users/dave/account",
        new JsonObject().put("environment", "prod").put("keyId", "PK 1").encode(),
        Map.of("Content-Type", "application/json", "X-XSRF-TOKEN", admin.cookie("XSRF-TOKEN")));
    assertThat(badEnvironment.statusCode()).isEqualTo(400);
    assertThat(badEnvironment.bodyAsJsonObject().getJsonObject("error").getJsonObject("details").fieldNames())
        .contains("environment", "keyId", "secret");

    // Disabled: the open socket closes 1008, sign-in is refused; then enabled again; deleted: gone.
    TestClient dave = new TestClient(vertx, edgePort);
    assertThat(dave.login("dave", "Weak-but-long-pass-1").statusCode()).isEqualTo(200);
    TestSocket daveSocket = dave.admittedSocket();
    assertThat(admin.post("/api/admin/users/dave/disable", new JsonObject()).statusCode()).isEqualTo(200);
    assertThat(daveSocket.awaitClose(Duration.ofSeconds(5)).code()).as("a disabled user's socket").isEqualTo(1008);
    assertThat(dave.get("/api/auth/me").statusCode()).isEqualTo(401);
    HttpResponse<Buffer> refused = dave.login("dave", "Weak-but-long-pass-1");
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(code(refused)).isEqualTo("ACCOUNT_DISABLED");
    assertThat(admin.post("/api/admin/users/dave/enable", new JsonObject()).statusCode()).isEqualTo(200);
    assertThat(dave.login("dave", "Weak-but-long-pass-1").statusCode()).isEqualTo(200);
    assertThat(admin.post("/api/admin/users/dave/password", new JsonObject().put("password", "Another-long-pass-2"))
        .statusCode()).isEqualTo(200);
    assertThat(dave.get("/api/auth/me").statusCode()).as("a reset password ends the sessions").isEqualTo(401);
    assertThat(admin.send(HttpMethod.DELETE, "/api/admin/users/dave", null,
        Map.of("X-XSRF-TOKEN", admin.cookie("XSRF-TOKEN"))).statusCode()).isEqualTo(200);
    assertThat(new TestClient(vertx, edgePort).login("dave", "Another-long-pass-2").statusCode()).isEqualTo(401);
    assertThat(admin.send(HttpMethod.DELETE, "/api/admin/users/alice", null,
        Map.of("X-XSRF-TOKEN", admin.cookie("XSRF-TOKEN"))).statusCode())
        .as("a user with a linked account is not deleted").isEqualTo(409);

    JsonArray audit = admin.get("/api/admin/audit?limit=100").bodyAsJsonObject().getJsonArray("entries");
    List<String> actions = new ArrayList<>();
    audit.forEach(e -> actions.add(((JsonObject) e).getString("action") + " " + ((JsonObject) e).getString("outcome")));
    assertThat(actions).contains("users.create ok", "users.create refused", "accounts.link refused", "users.disable ok",
        "users.enable ok", "users.reset-password ok", "users.delete ok", "users.delete refused");
    assertThat(audit.encode()).doesNotContain(NEW_SECRET, "Weak-but-long-pass-1", "Another-long-pass-2", "short");
    assertThat(((JsonObject) audit.getValue(0)).getString("actor")).isEqualTo("admin");
    assertThat(((JsonObject) audit.getValue(0)).getString("address")).isEqualTo("127.0.0.1");
  }

  @Test
  @Order(2)
  @DisplayName("a user created and linked by the CLI signs in and streams the positions the broker holds for them")
  void cliOnboarding() throws Exception {
    SimulatorControl simulator = new SimulatorControl(vertx, simPort, TOKEN);
    simulator.addAccount("PKCAROL000000000003", NEW_SECRET, new BigDecimal("10000.00"), new JsonArray()
        .add(new JsonObject().put("symbol", "AAPL").put("qty", "7").put("side", "long").put("avg_entry_price", "150.00")));

    assertThat(cli(List.of("users", "create", "carol", "--password", "x"), null).status).as("no password in argv").isEqualTo(2);
    assertThat(cli(List.of("users", "create", "carol", "--role", "trader"), "short").status).isEqualTo(3);
    Result created = cli(List.of("users", "create", "carol", "--role", "trader"), CAROL_PASSWORD);
    assertThat(created.status).as(created.err).isZero();
    assertThat(cli(List.of("users", "create", "carol", "--role", "trader"), CAROL_PASSWORD).status).isEqualTo(5);
    assertThat(cli(List.of("accounts", "link", "carol", "--environment", "simulator", "--key-id", "PKCAROL000000000003"),
        "not-the-secret").status).as("the broker refuses a wrong secret").isEqualTo(6);
    Result linked = cli(List.of("accounts", "link", "carol", "--environment", "simulator", "--key-id", "PKCAROL000000000003"),
        NEW_SECRET);
    assertThat(linked.status).as(linked.err).isZero();
    assertThat(linked.out).doesNotContain(NEW_SECRET);
    assertThat(cli(List.of("accounts", "unlink", "nobody"), null).status).isEqualTo(4);

    TestClient carol = signedIn("carol", CAROL_PASSWORD);
    JsonObject position = Eventually.until(() -> {
      Object body = io.vertx.core.json.Json.decodeValue(carol.get("/api/positions").bodyAsString());
      JsonArray positions = body instanceof JsonArray array ? array : ((JsonObject) body).getJsonArray("positions");
      return positions == null || positions.isEmpty() ? null : positions.getJsonObject(0);
    }, p -> p != null, Duration.ofSeconds(40));
    assertThat(position.getString("symbol")).isEqualTo("AAPL");
    try (TestSocket socket = carol.admittedSocket()) {
      socket.send(new JsonObject().put("type", "subscribe").put("channels", new JsonArray().add("positions").add("account")));
      JsonObject snapshot = socket.awaitType("snapshot");
      assertThat(snapshot.encode()).contains("AAPL");
      simulator.setPrice("AAPL", new BigDecimal("171.25"));
      socket.awaitEntity("position", p -> "AAPL".equals(p.getString("symbol"))
          && new BigDecimal("171.25").compareTo(new BigDecimal(p.getString("currentPrice"))) == 0, Duration.ofSeconds(15));
    }
  }

  @Test
  @Order(3)
  @DisplayName("a rollout at 50 % admits about half of 200 users, and turning one user off moves their open sockets to polling within 5 s")
  void rollout() throws Exception {
    TestClient admin = signedIn("admin", "test-password");
    for (int i = 0; i < 200; i++) {
      assertThat(admin.post("/api/admin/users", user(String.format("user%03d", i), "Rollout-password-123", "trader"))
          .statusCode()).isEqualTo(201);
    }
    HttpResponse<Buffer> set = admin.send(HttpMethod.PUT, "/api/admin/rollout", new JsonObject().put("percentage", 50).encode(),
        Map.of("Content-Type", "application/json", "X-XSRF-TOKEN", admin.cookie("XSRF-TOKEN")));
    assertThat(set.statusCode()).as(set.bodyAsString()).isEqualTo(200);
    JsonArray users = admin.get("/api/admin/users").bodyAsJsonObject().getJsonArray("items");
    int admitted = 0;
    int rolled = 0;
    List<String> in = new ArrayList<>();
    List<String> out = new ArrayList<>();
    for (Object o : users) {
      JsonObject u = (JsonObject) o;
      if (u.getString("username").startsWith("user")) {
        rolled++;
        boolean streams = u.getBoolean("realtime");
        assertThat(streams).isEqualTo(RolloutPolicy.bucket(UUID.fromString(u.getString("userId"))) < 50);
        admitted += streams ? 1 : 0;
        (streams ? in : out).add(u.getString("username"));
      }
    }
    assertThat(rolled).isEqualTo(200);
    assertThat(admitted).as("of 200 at 50 %").isBetween(70, 130);
    // The edge agrees, per session: health and the socket.
    for (String name : List.of(in.get(0), in.get(1), out.get(0), out.get(1))) {
      TestClient user = new TestClient(vertx, edgePort);
      Eventually.until(() -> user.login(name, "Rollout-password-123").statusCode(), s -> s == 200, Duration.ofSeconds(10));
      boolean expected = in.contains(name);
      Eventually.until(() -> realtime(user), r -> r == expected, Duration.ofSeconds(10));
      if (!expected) {
        HttpResponse<Buffer> upgrade = user.send(HttpMethod.GET, "/ws/portfolio", null, Map.of("Connection", "Upgrade",
            "Upgrade", "websocket", "Sec-WebSocket-Version", "13", "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==",
            "Origin", "http://127.0.0.1:" + edgePort));
        assertThat(upgrade.statusCode()).isEqualTo(503);
        assertThat(code(upgrade)).isEqualTo("REALTIME_DISABLED");
      }
    }

    // Alice is allowlisted whatever her bucket; then denied while two sockets are open.
    assertThat(cli(List.of("rollout", "allow", "alice"), null).status).isZero();
    TestClient alice = signedIn("alice", "test-password");
    Eventually.until(() -> realtime(alice), r -> r, Duration.ofSeconds(10));
    TestSocket first = alice.admittedSocket();
    TestSocket second = alice.admittedSocket();
    long off = System.nanoTime();
    assertThat(cli(List.of("rollout", "deny", "alice"), null).status).isZero();
    TestSocket.Closed closed = first.awaitClose(Duration.ofSeconds(5));
    TestSocket.Closed closedToo = second.awaitClose(Duration.ofSeconds(5));
    long tookMs = (System.nanoTime() - off) / 1_000_000;
    assertThat(closed.code()).isEqualTo(4503);
    assertThat(closedToo.code()).isEqualTo(4503);
    assertThat(tookMs).as("both sockets closed after the CLI returned").isLessThan(5_000);
    assertThat(realtime(alice)).isFalse();
    System.out.printf("rollout: %d of 200 admitted at 50 %%; alice's 2 sockets closed 4503 %d ms after 'rollout deny'%n",
        admitted, tookMs);

    // Rollback: everything off in one command, back on in another.
    assertThat(cli(List.of("rollout", "off"), null).status).isZero();
    Eventually.until(() -> realtime(signedIn("bob", "test-password")), r -> !r, Duration.ofSeconds(10));
    assertThat(cli(List.of("rollout", "clear", "alice"), null).status).isZero();
    assertThat(cli(List.of("rollout", "set", "100"), null).status).isZero();
    assertThat(cli(List.of("rollout", "on"), null).status).isZero();
    Eventually.until(() -> realtime(alice), r -> r, Duration.ofSeconds(10));
    first.close();
    second.close();
  }

  @Test
  @Order(4)
  @DisplayName("keys rotate re-seals every secret while the node streams: the stream goes on, the node takes the new key, the old one opens nothing")
  void keyRotation() throws Exception {
    Path keyFile = dataDir.resolve("credentials.key");
    String oldKey = Files.readString(keyFile).trim();
    TestClient bob = signedIn("bob", "test-password");
    SimulatorControl simulator = new SimulatorControl(vertx, simPort, TOKEN);
    try (TestSocket socket = bob.admittedSocket()) {
      socket.send(new JsonObject().put("type", "subscribe").put("channels", new JsonArray().add("positions")));
      socket.awaitType("snapshot");
      int from = node.output().size();
      Result rotated = cli(List.of("keys", "rotate"), null);
      assertThat(rotated.status).as(rotated.err).isZero();
      assertThat(new JsonObject(rotated.out).getInteger("secretsResealed")).as("alice's, bob's and carol's").isEqualTo(3);
      assertThat(Files.readString(keyFile).trim()).isNotEqualTo(oldKey);
      node.awaitLineAfter(from, "Credentials key rotated", Duration.ofSeconds(15));

      simulator.setPrice("MSFT", new BigDecimal("432.10"));
      socket.awaitEntity("position", p -> "MSFT".equals(p.getString("symbol"))
          && new BigDecimal("432.10").compareTo(new BigDecimal(p.getString("currentPrice"))) == 0, Duration.ofSeconds(15));
    }
    // The admin node opens the re-sealed secret with the new key; the old key opens nothing.
    TestClient admin = signedIn("admin", "test-password");
    HttpResponse<Buffer> tested = admin.post("/api/admin/users/bob/account/test", new JsonObject());
    assertThat(tested.statusCode()).as(tested.bodyAsString()).isEqualTo(200);
    Map<String, String> withOldKey = new HashMap<>(env);
    withOldKey.put("CREDENTIALS_KEY", oldKey);
    Result old = cli(List.of("accounts", "test", "bob"), null, withOldKey);
    assertThat(old.status).isEqualTo(1);
    assertThat(old.err).contains("not the key");
    // Rotating bob's broker secret: the simulator must know it first, so the test is refused.
    assertThat(admin.post("/api/admin/users/bob/account/secret", new JsonObject().put("secret", NEW_SECRET))
        .statusCode()).isEqualTo(502);
  }

  // ---- helpers ----

  private record Result(int status, String out, String err) {}

  private static Result cli(List<String> args, String secret) {
    return cli(args, secret, env);
  }

  private static Result cli(List<String> args, String secret, Map<String, String> environment) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = new AdminCli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        (prompt, confirm) -> secret).run(args.toArray(String[]::new), environment);
    return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static boolean realtime(TestClient client) throws Exception {
    return client.get("/api/health").bodyAsJsonObject().getJsonObject("features").getBoolean("realtimePortfolio");
  }

  private static TestClient signedIn(String username, String password) throws Exception {
    boolean admin = username.equals("admin");
    TestClient client = new TestClient(vertx, admin ? adminPort : edgePort);
    HttpResponse<Buffer> login = client.login(username, password);
    assertThat(login.statusCode()).as(login.bodyAsString()).isEqualTo(200);
    return client;
  }

  private static JsonObject user(String username, String password, String role) {
    return new JsonObject().put("username", username).put("password", password).put("role", role);
  }

  private static String code(HttpResponse<Buffer> response) {
    return response.bodyAsJsonObject().getJsonObject("error").getString("code");
  }

  private static int port(String line) {
    Matcher m = Pattern.compile(":(\\d+)").matcher(line.substring(line.indexOf("listening on")));
    assertThat(m.find()).isTrue();
    return Integer.parseInt(m.group(1));
  }
}
