package com.portfoliostream.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.portfoliostream.testkit.Fixtures;
import com.portfoliostream.testkit.EdgeCluster;
import com.portfoliostream.testkit.RawSocket;
import com.portfoliostream.testkit.TestClient;
import com.portfoliostream.testkit.TestSocket;
import com.portfoliostream.events.model.OrderStatus;
import com.portfoliostream.events.protocol.CloseReason;
import com.portfoliostream.events.protocol.ServerEvent;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The /ws/portfolio protocol on one node")
class SocketProtocolTest {

  static EdgeCluster<StreamVerticle> cluster;
  static UUID alice;
  static UUID bob;
  TestClient client;
  TestSocket socket;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = EdgeCluster.start(1, Map.of("ALLOWED_ORIGINS", "https://desk.example.com"), StreamEdge.ROLE);
    alice = Fixtures.userId(cluster.pool(), "alice");
    bob = Fixtures.userId(cluster.pool(), "bob");
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  @BeforeEach
  void signInAlice() throws Exception {
    client = new TestClient(cluster.clients(), cluster.node(0).port());
    assertThat(client.login("alice", EdgeCluster.PASSWORD).statusCode()).isEqualTo(200);
    socket = client.socket();
  }

  @AfterEach
  void closeSocket() {
    socket.close();
  }

  @Test
  @DisplayName("a handshake without a session is refused with 401 before the upgrade")
  void refusesWithoutSession() {
    TestClient anonymous = new TestClient(cluster.clients(), cluster.node(0).port());

    assertThatThrownBy(anonymous::socket).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(UpgradeRejectedException.class)
        .satisfies(e -> assertThat(((UpgradeRejectedException) e).getStatus()).isEqualTo(401));
  }

  @Test
  @DisplayName("a forged session cookie is refused with 401")
  void refusesForgedSession() {
    TestClient forged = new TestClient(cluster.clients(), cluster.node(0).port());
    forged.setCookie("session", "0123456789abcdef0123456789abcdef");

    assertThatThrownBy(forged::socket).cause().isInstanceOf(UpgradeRejectedException.class)
        .satisfies(e -> assertThat(((UpgradeRejectedException) e).getStatus()).isEqualTo(401));
  }

  @Test
  @DisplayName("a cross-origin handshake carrying a valid cookie is refused with 403; the own and listed origins are accepted")
  void refusesForeignOrigin() throws Exception {
    assertThatThrownBy(() -> client.socket(Map.of("Origin", "https://evil.example")))
        .cause().isInstanceOf(UpgradeRejectedException.class)
        .satisfies(e -> assertThat(((UpgradeRejectedException) e).getStatus()).isEqualTo(403));

    try (TestSocket own = client.socket(Map.of("Origin", "http://127.0.0.1:" + cluster.node(0).port()));
         TestSocket listed = client.socket(Map.of("Origin", "https://desk.example.com"))) {
      own.send(new JsonObject().put("type", "ping"));
      listed.send(new JsonObject().put("type", "ping"));
      assertThat(own.awaitType("pong").getString("userId")).isEqualTo(alice.toString());
      assertThat(listed.awaitType("pong").getString("userId")).isEqualTo(alice.toString());
    }
  }

  @Test
  @DisplayName("subscribe is acknowledged with info SUBSCRIBED, then a snapshot of exactly those channels from PostgreSQL")
  void subscribeThenSnapshot() throws Exception {
    socket.send("{\"type\":\"subscribe\",\"channels\":[\"positions\",\"account\"]}");

    JsonObject info = socket.awaitType("info");
    JsonObject snapshot = socket.awaitType("snapshot");

    assertThat(info.getJsonObject("data").getString("code")).isEqualTo("SUBSCRIBED");
    assertThat(info.getJsonObject("data").getJsonArray("channels")).containsExactly("positions", "account");
    assertThat(snapshot.getString("userId")).isEqualTo(alice.toString());
    assertThat(snapshot.getLong("seq")).isGreaterThan(info.getLong("seq"));
    JsonObject data = snapshot.getJsonObject("data");
    assertThat(data.getJsonArray("positions").stream().map(p -> ((JsonObject) p).getString("symbol")))
        .containsExactly("AAPL", "MSFT", "NVDA", "TSLA");
    JsonObject aapl = data.getJsonArray("positions").getJsonObject(0);
    assertThat(aapl.getString("quantity")).isEqualTo("100");
    assertThat(aapl.getString("unrealizedPnl")).isEqualTo("525.00");
    assertThat(data.getJsonObject("account").getString("cash")).isEqualTo("50000.00");
    assertThat(data.containsKey("orders")).isFalse();
    assertThat(data.containsKey("trades")).isFalse();
  }

  @Test
  @DisplayName("the snapshot holds open and today's orders and today's trades, not yesterday's closed ones")
  void snapshotOfOrdersAndTrades() throws Exception {
    UUID account = EdgeCluster.await(cluster.pool().preparedQuery("SELECT id FROM broker_accounts WHERE user_id = $1")
        .execute(Tuple.of(bob))).iterator().next().getUUID("id");
    UUID open = insertOrder(bob, account, "accepted", OffsetDateTime.now().minusDays(3));
    UUID filledToday = insertOrder(bob, account, "filled", OffsetDateTime.now(ZoneOffset.UTC));
    UUID filledOld = insertOrder(bob, account, "filled", OffsetDateTime.now().minusDays(3));
    EdgeCluster.await(cluster.pool().preparedQuery("INSERT INTO trades (account_id, user_id, order_id, execution_id, "
        + "symbol, side, qty, price, executed_at) VALUES ($1, $2, $3, 'exec-today', 'AMZN', 'buy', 5, 181.5, now())")
        .execute(Tuple.of(account, bob, filledToday)));
    TestClient bobClient = new TestClient(cluster.clients(), cluster.node(0).port());
    bobClient.login("bob", EdgeCluster.PASSWORD);

    try (TestSocket bobSocket = bobClient.socket()) {
      bobSocket.send("{\"type\":\"subscribe\",\"channels\":[\"orders\",\"trades\"]}");
      JsonObject data = bobSocket.awaitType("snapshot").getJsonObject("data");

      assertThat(data.getJsonArray("orders").stream().map(o -> ((JsonObject) o).getString("orderId")))
          .containsExactlyInAnyOrder(open.toString(), filledToday.toString())
          .doesNotContain(filledOld.toString());
      assertThat(data.getJsonArray("trades")).hasSize(1);
      assertThat(data.getJsonArray("trades").getJsonObject(0).getString("price")).isEqualTo("181.50");
      assertThat(data.containsKey("positions")).isFalse();
    }
  }

  @Test
  @DisplayName("an app-level ping is answered with pong")
  void pingPong() throws Exception {
    socket.send("{\"type\":\"ping\"}");

    JsonObject pong = socket.awaitType("pong");
    assertThat(pong.getJsonObject("data")).isEqualTo(new JsonObject());
    assertThat(pong.getLong("seq")).isEqualTo(1L);
  }

  @Test
  @DisplayName("each kind of bad input gets an error event naming the problem, and the socket stays open")
  void badInputGetsErrors() throws Exception {
    socket.send("{\"type\": \"subscribe\",");
    socket.send("{\"type\": \"teleport\"}");
    socket.send("{\"type\": \"subscribe\", \"channels\": [\"invalid_channel\"]}");
    socket.send("{\"type\": \"subscribe\", \"channels\": \"positions\"}");
    socket.send("{\"channels\": []}");

    List<JsonObject> errors = List.of(socket.awaitType("error"), socket.awaitType("error"),
        socket.awaitType("error"), socket.awaitType("error"), socket.awaitType("error"));
    assertThat(errors).extracting(e -> e.getJsonObject("data").getString("code")).containsExactly(
        "INVALID_MESSAGE", "INVALID_MESSAGE", "SUBSCRIPTION_FAILED", "INVALID_MESSAGE", "INVALID_MESSAGE");
    assertThat(errors.get(1).getJsonObject("data").getJsonObject("details").getString("type")).isEqualTo("teleport");
    assertThat(errors.get(2).getJsonObject("data").getJsonObject("details").getString("channel")).isEqualTo("invalid_channel");
    socket.send("{\"type\":\"ping\"}");
    assertThat(socket.awaitType("pong")).isNotNull();
    assertThat(socket.isClosed()).isFalse();
  }

  @Test
  @DisplayName("events are filtered by channel and symbol, and another user's events never arrive")
  void filtersByChannelAndSymbol() throws Exception {
    socket.send("{\"type\":\"subscribe\",\"channels\":[\"positions\",\"account\"],\"symbols\":[\"AAPL\"]}");
    socket.awaitType("snapshot");
    TestSocket ordersOnly = client.socket();
    ordersOnly.send("{\"type\":\"subscribe\",\"channels\":[\"orders\"]}");
    ordersOnly.awaitType("snapshot");

    Fixtures.publish(cluster.vertx(), Fixtures.position(bob, "AAPL", "999.00", 7));
    Fixtures.publish(cluster.vertx(), Fixtures.position(alice, "TSLA", "250.00", 2));
    Fixtures.publish(cluster.vertx(), Fixtures.order(alice, "AAPL", OrderStatus.NEW));
    Fixtures.publish(cluster.vertx(), Fixtures.position(alice, "AAPL", "176.00", 2));
    Fixtures.publish(cluster.vertx(), Fixtures.account(alice, "105000.00"));

    JsonObject position = socket.awaitEntity("position", p -> true, Duration.ofSeconds(5));
    JsonObject account = socket.awaitEntity("account", a -> true, Duration.ofSeconds(5));
    JsonObject order = ordersOnly.awaitEntity("order", o -> true, Duration.ofSeconds(5));
    // Markers published last: once each socket has its marker, every earlier event has been
    // delivered or filtered out, so what did not arrive never will.
    Fixtures.publish(cluster.vertx(), Fixtures.account(alice, "105001.00"));
    ServerEvent orderMarker = Fixtures.order(alice, "MSFT", OrderStatus.NEW);
    Fixtures.publish(cluster.vertx(), orderMarker);
    socket.awaitEntity("account", a -> "105001.00".equals(a.getString("equity")), Duration.ofSeconds(5));
    ordersOnly.awaitEntity("order", o -> "MSFT".equals(o.getString("symbol")), Duration.ofSeconds(5));
    assertThat(position.getString("symbol")).isEqualTo("AAPL");
    assertThat(position.getString("currentPrice")).isEqualTo("176.00");
    assertThat(account.getString("equity")).isEqualTo("105000.00");
    assertThat(socket.entities("order")).isEmpty();
    assertThat(socket.entities("position")).hasSize(1);
    assertThat(ordersOnly.entities("position")).isEmpty();
    assertThat(ordersOnly.entities("account")).isEmpty();
    assertThat(ordersOnly.entities("order")).extracting(o -> o.getString("symbol")).containsExactly("AAPL", "MSFT");
    assertThat(order.getString("symbol")).isEqualTo("AAPL");
    assertThat(socket.received()).allMatch(m -> alice.toString().equals(m.getString("userId")));
    assertThat(ordersOnly.received()).allMatch(m -> alice.toString().equals(m.getString("userId")));
    ordersOnly.close();
  }

  @Test
  @DisplayName("unsubscribe stops a channel; unsubscribing symbols narrows the filter")
  void unsubscribe() throws Exception {
    socket.send("{\"type\":\"subscribe\",\"channels\":[\"positions\",\"trades\"],\"symbols\":[\"AAPL\",\"NVDA\"]}");
    socket.awaitType("snapshot");
    socket.send("{\"type\":\"unsubscribe\",\"channels\":[\"trades\"]}");
    JsonObject info = socket.awaitType("info");
    socket.send("{\"type\":\"unsubscribe\",\"channels\":[\"positions\"],\"symbols\":[\"NVDA\"]}");
    JsonObject narrowed = socket.awaitType("info");

    assertThat(info.getJsonObject("data").getString("code")).isEqualTo("UNSUBSCRIBED");
    assertThat(info.getJsonObject("data").getJsonArray("channels")).containsExactly("positions");
    assertThat(narrowed.getJsonObject("data").getJsonArray("symbols")).isEqualTo(new JsonArray().add("AAPL"));
    Fixtures.publish(cluster.vertx(), Fixtures.trade(alice, "AAPL"));
    Fixtures.publish(cluster.vertx(), Fixtures.position(alice, "NVDA", "500.00", 3));
    Fixtures.publish(cluster.vertx(), Fixtures.position(alice, "AAPL", "177.00", 3));
    socket.awaitEntity("position", p -> "AAPL".equals(p.getString("symbol")), Duration.ofSeconds(5));
    Fixtures.publish(cluster.vertx(), Fixtures.position(alice, "AAPL", "178.00", 4));
    socket.awaitEntity("position", p -> p.getLong("version") == 4, Duration.ofSeconds(5));
    assertThat(socket.entities("trade")).isEmpty();
    assertThat(socket.entities("position")).extracting(p -> p.getString("symbol")).containsOnly("AAPL");
  }

  @Test
  @DisplayName("more than 100 messages in a second get RATE_LIMITED and the socket stays; a sustained flood is closed 1008")
  void rateLimits() throws Exception {
    for (int i = 0; i < 150; i++) {
      socket.send("{\"type\":\"ping\"}");
    }
    JsonObject limited = socket.await(m -> "error".equals(m.getString("type")), Duration.ofSeconds(10));
    assertThat(limited.getJsonObject("data").getString("code")).isEqualTo("RATE_LIMITED");
    Thread.sleep(1_200);
    socket.send("{\"type\":\"ping\"}");
    socket.await(m -> "pong".equals(m.getString("type")) && m.getLong("seq") > limited.getLong("seq"),
        Duration.ofSeconds(10));

    long end = System.nanoTime() + Duration.ofSeconds(6).toNanos();
    while (!socket.isClosed() && System.nanoTime() < end) {
      for (int i = 0; i < 150; i++) {
        socket.send("{\"type\":\"ping\"}");
      }
      Thread.sleep(200);
    }
    TestSocket.Closed closed = socket.awaitClose(Duration.ofSeconds(5));
    assertThat(closed.code()).isEqualTo(1008);
    assertThat(closed.reason()).isEqualTo("Rate limit exceeded");
  }

  @Test
  @DisplayName("binary frames count against the rate limit like text frames")
  void binaryFramesAreRateLimited() throws Exception {
    for (int i = 0; i < 150; i++) {
      socket.sendBinary(new byte[] {1, 2, 3});
    }

    JsonObject limited = socket.await(m -> "error".equals(m.getString("type"))
        && "RATE_LIMITED".equals(m.getJsonObject("data").getString("code")), Duration.ofSeconds(10));
    assertThat(limited).isNotNull();
  }

  @Test
  @DisplayName("subscribes sent while a snapshot is loading are merged: one snapshot in flight per socket")
  void oneSnapshotInFlight() throws Exception {
    socket.send("{\"type\":\"subscribe\",\"channels\":[\"positions\"]}");
    for (int i = 0; i < 49; i++) {
      socket.send("{\"type\":\"subscribe\",\"channels\":[\"orders\",\"trades\"]}");
    }

    socket.await(m -> "snapshot".equals(m.getString("type")) && m.getJsonObject("data").containsKey("orders"),
        Duration.ofSeconds(10));
    long acknowledged = socket.received().stream().filter(m -> "info".equals(m.getString("type"))).count();
    long snapshots = socket.received().stream().filter(m -> "snapshot".equals(m.getString("type"))).count();
    assertThat(acknowledged).as("every subscribe is acknowledged").isEqualTo(50);
    assertThat(snapshots).as("snapshots for 50 subscribes").isBetween(2L, 3L);
  }

  @Test
  @DisplayName("permessage-deflate is not negotiated, so a compressed frame (RSV1 set) is closed 1002")
  void noCompression() throws Exception {
    try (RawSocket raw = RawSocket.open(cluster.clients(), cluster.node(0).port(), client.cookieHeader(),
        Map.of("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"))) {
      raw.awaitUpgrade(5_000);
      assertThat(raw.upgradeResponse().toLowerCase()).doesNotContain("sec-websocket-extensions");

      raw.sendFrame(0xC1, new byte[] {(byte) 0xf2, 0x48, (byte) 0xcd, (byte) 0xc9, (byte) 0xc9, 0x07, 0x00});

      assertClosedForProtocolError(raw);
    }
  }

  @ParameterizedTest(name = "first byte {0}")
  @ValueSource(ints = {0xA1, 0x91, 0x83, 0x8B, 0x01 | 0x08})
  @DisplayName("reserved bits RSV2/RSV3, reserved opcodes and a fragmented control frame are closed 1002 (RFC 6455 5.2, 5.5)")
  void reservedBitsAndOpcodes(int firstByte) throws Exception {
    try (RawSocket raw = RawSocket.open(cluster.clients(), cluster.node(0).port(), client.cookieHeader())) {
      raw.awaitUpgrade(5_000);
      raw.sendFrame(firstByte, "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8));

      assertClosedForProtocolError(raw);
    }
  }

  @Test
  @DisplayName("an unmasked client frame is closed 1002 (RFC 6455 5.1)")
  void unmaskedFrame() throws Exception {
    try (RawSocket raw = RawSocket.open(cluster.clients(), cluster.node(0).port(), client.cookieHeader())) {
      raw.awaitUpgrade(5_000);
      raw.sendUnmaskedFrame(0x81, "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8));

      assertClosedForProtocolError(raw);
    }
  }

  @ParameterizedTest(name = "close code {0}")
  @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 2999})
  @DisplayName("a close frame with a code no endpoint may send is answered 1002, never echoed (RFC 6455 7.4)")
  void invalidCloseCode(int code) throws Exception {
    try (RawSocket raw = RawSocket.open(cluster.clients(), cluster.node(0).port(), client.cookieHeader())) {
      raw.awaitUpgrade(5_000);
      raw.sendFrame(0x88, new byte[] {(byte) (code >> 8), (byte) code});

      assertClosedForProtocolError(raw);
    }
  }

  @Test
  @DisplayName("a close frame with a one-byte body is answered 1002")
  void truncatedCloseFrame() throws Exception {
    try (RawSocket raw = RawSocket.open(cluster.clients(), cluster.node(0).port(), client.cookieHeader())) {
      raw.awaitUpgrade(5_000);
      raw.sendFrame(0x88, new byte[] {0x03});

      assertClosedForProtocolError(raw);
    }
  }

  @ParameterizedTest(name = "close code {0}")
  @ValueSource(ints = {1000, 1001, 3000, 4999})
  @DisplayName("a valid close code from the client is echoed, as RFC 6455 5.5.1 says")
  void validCloseCodeEchoed(int code) throws Exception {
    try (RawSocket raw = RawSocket.open(cluster.clients(), cluster.node(0).port(), client.cookieHeader())) {
      raw.awaitUpgrade(5_000);
      raw.sendFrame(0x88, new byte[] {(byte) (code >> 8), (byte) code});

      assertThat(raw.awaitFrame(0x8, 5_000).closeCode()).isEqualTo(code);
    }
  }

  /** Exactly one frame comes back, a close 1002, and then the connection ends. */
  private static void assertClosedForProtocolError(RawSocket raw) throws InterruptedException {
    RawSocket.Frame close = raw.awaitFrame(0x8, 5_000);
    assertThat(close.closeCode()).isEqualTo(1002);
    assertThat(raw.awaitConnectionClosed(5_000)).as("the connection is closed").isTrue();
    assertThat(raw.frames()).as("only a close frame, never an answer to the frame")
        .extracting(RawSocket.Frame::opcode).containsExactly(0x8);
  }

  @Test
  @DisplayName("a frame over 64 KiB is closed with 1009")
  void oversizedFrame() throws Exception {
    socket.send("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(70 * 1024) + "\"}");

    assertThat(socket.awaitClose(Duration.ofSeconds(10)).code()).isEqualTo(1009);
  }

  @Test
  @DisplayName("a message over 64 KiB sent in several small frames is closed with 1009 too")
  void oversizedFragmentedMessage() throws Exception {
    socket.sendFragmented("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(40 * 1024), "x".repeat(40 * 1024) + "\"}");

    TestSocket.Closed closed = socket.awaitClose(Duration.ofSeconds(10));
    assertThat(closed.code()).isEqualTo(1009);
    assertThat(closed.reason()).isEqualTo("Message too big");
  }

  @Test
  @DisplayName("a text frame that is not UTF-8 (0xc3 0x28) is closed 1007, never parsed with replacement characters")
  void invalidUtf8() throws Exception {
    try (RawSocket raw = RawSocket.open(cluster.clients(), cluster.node(0).port(), client.cookieHeader())) {
      raw.awaitUpgrade(5_000);

      raw.sendFrame(0x81, new byte[] {(byte) 0xc3, 0x28});

      RawSocket.Frame close = raw.awaitFrame(0x8, 5_000);
      assertThat(close.closeCode()).isEqualTo(1007);
      assertThat(close.closeReason()).isEqualTo(CloseReason.INVALID_PAYLOAD.reason());
      assertThat(raw.frames()).as("no error event answers the frame").noneMatch(frame -> frame.opcode() == 0x1);
    }
  }

  @Test
  @DisplayName("invalid UTF-8 in the last fragment of a text message is closed 1007 too")
  void invalidUtf8InAFragment() throws Exception {
    try (RawSocket raw = RawSocket.open(cluster.clients(), cluster.node(0).port(), client.cookieHeader())) {
      raw.awaitUpgrade(5_000);

      raw.sendFrame(0x01, "{\"type\":\"ping\",\"pad\":\"".getBytes(StandardCharsets.UTF_8));
      raw.sendFrame(0x80, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80, '"', '}'});

      assertThat(raw.awaitFrame(0x8, 5_000).closeCode()).as("an encoded surrogate is not UTF-8").isEqualTo(1007);
    }
  }

  @Test
  @DisplayName("a character split across two fragments is valid UTF-8: the message is answered")
  void characterSplitAcrossFragments() throws Exception {
    byte[] message = "{\"type\":\"ping\",\"pad\":\"\u00e9\u20ac\"}".getBytes(StandardCharsets.UTF_8);
    int middleOfEuroSign = message.length - 3;
    try (RawSocket raw = RawSocket.open(cluster.clients(), cluster.node(0).port(), client.cookieHeader())) {
      raw.awaitUpgrade(5_000);

      raw.sendFrame(0x01, Arrays.copyOfRange(message, 0, middleOfEuroSign));
      raw.sendFrame(0x80, Arrays.copyOfRange(message, middleOfEuroSign, message.length));

      String answer = new String(raw.awaitFrame(0x1, 5_000).payload(), StandardCharsets.UTF_8);
      assertThat(new JsonObject(answer).getString("type")).isEqualTo("pong");
    }
  }

  @Test
  @DisplayName("a binary frame gets an error and the socket stays open")
  void binaryFrame() throws Exception {
    socket.sendBinary(new byte[] {1, 2, 3});

    assertThat(socket.awaitType("error").getJsonObject("data").getString("code")).isEqualTo("INVALID_MESSAGE");
    socket.send("{\"type\":\"ping\"}");
    assertThat(socket.awaitType("pong")).isNotNull();
  }

  private static UUID insertOrder(UUID user, UUID account, String status, OffsetDateTime created) throws Exception {
    UUID id = UUID.randomUUID();
    BigDecimal filled = status.equals("filled") ? BigDecimal.ONE : BigDecimal.ZERO;
    EdgeCluster.await(cluster.pool().preparedQuery("INSERT INTO orders (id, account_id, user_id, client_order_id, "
            + "symbol, side, type, time_in_force, qty, filled_qty, status, created_at, submitted_at) "
            + "VALUES ($1, $2, $3, $4, 'AMZN', 'buy', 'market', 'day', 1, $5, $6, $7, $7)")
        .execute(Tuple.tuple(List.of(id, account, user, id.toString(), filled, status, created))));
    return id;
  }
}
