package com.portfoliostream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.testkit.EdgeCluster;
import com.portfoliostream.testkit.TestClient;
import com.portfoliostream.testkit.TestSocket;
import com.portfoliostream.common.bus.UserEventBus;
import com.portfoliostream.common.security.PasswordHashing;
import com.portfoliostream.events.model.Account;
import com.portfoliostream.events.model.Order;
import com.portfoliostream.events.model.OrderSide;
import com.portfoliostream.events.model.OrderStatus;
import com.portfoliostream.events.model.OrderType;
import com.portfoliostream.events.model.Position;
import com.portfoliostream.events.model.PositionSide;
import com.portfoliostream.events.model.TimeInForce;
import com.portfoliostream.events.model.Trade;
import com.portfoliostream.events.protocol.ServerEvent;
import com.portfoliostream.events.protocol.ServerEvents;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Many users, several devices each, on two nodes; random events for all of them from several
 * producers at once, the same entity's versions from different producers so that they interleave.
 * Every socket must see exactly its own user's data, complete, and nothing else.
 */
@DisplayName("User isolation under interleaved load on two nodes")
class IsolationTest {

  private static final int USERS = 50;
  private static final int SYMBOLS = 4;
  private static final int VERSIONS = 12;
  private static final int TRADES = 6;
  private static final List<String> ALL = List.of("positions", "orders", "account", "trades");
  private static final List<String> SOME = List.of("positions", "trades");

  static EdgeCluster<StreamVerticle> cluster;

  /** One test user: index, id, devices and what each device subscribed to. */
  record Device(TestSocket socket, List<String> channels) {}

  record User(int index, UUID id, List<Device> devices) {}

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = EdgeCluster.start(2, Map.of("MAX_CONNECTIONS", "500", "BATCH_DEADLINE_MS", "250"), StreamEdge.ROLE);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  @Test
  @DisplayName("every socket receives exactly its own user's events, complete, and zero cross-user frames")
  void isolation() throws Exception {
    List<User> users = createUsers(new Random(42));
    List<ServerEvent> events = eventsFor(users, new Random(7));
    publishFromThreeProducers(events);

    long crossUser = 0;
    for (User user : users) {
      for (Device device : user.devices()) {
        awaitComplete(user, device);
        crossUser += crossUserFrames(user, device);
      }
    }

    assertThat(crossUser).as("frames or entities of another user").isZero();
    for (User user : users) {
      for (Device device : user.devices()) {
        assertThat(device.socket().received()).allMatch(m -> user.id().toString().equals(m.getString("userId")));
        if (!device.channels().contains("orders")) {
          assertThat(device.socket().entities("order")).isEmpty();
          assertThat(device.socket().entities("account")).isEmpty();
        }
        assertThat(tradeIds(device)).hasSize(TRADES).doesNotHaveDuplicates();
      }
      List<Device> devices = user.devices();
      for (Device device : devices) {
        assertThat(finalPositions(device)).isEqualTo(finalPositions(devices.get(0)));
      }
    }
    for (User user : users) {
      user.devices().forEach(d -> d.socket().close());
    }
  }

  private List<User> createUsers(Random random) throws Exception {
    String hash = new PasswordHashing().hash(EdgeCluster.PASSWORD);
    List<User> users = new ArrayList<>();
    ExecutorService logins = Executors.newFixedThreadPool(4);
    List<java.util.concurrent.Future<User>> pending = new ArrayList<>();
    for (int i = 0; i < USERS; i++) {
      String username = "iso" + i;
      UUID id = EdgeCluster.await(cluster.pool().preparedQuery(
          "INSERT INTO users (username, password_hash, role) VALUES ($1, $2, 'trader') RETURNING id")
          .execute(Tuple.of(username, hash))).iterator().next().getUUID("id");
      int index = i;
      int deviceCount = 1 + random.nextInt(5);
      long seed = random.nextLong();
      pending.add(logins.submit(() -> openDevices(index, id, username, deviceCount, new Random(seed))));
    }
    for (var future : pending) {
      users.add(future.get(120, TimeUnit.SECONDS));
    }
    logins.shutdown();
    return users;
  }

  private static User openDevices(int index, UUID id, String username, int count, Random random) throws Exception {
    TestClient client = new TestClient(cluster.clients(), cluster.node(0).port());
    assertThat(client.login(username, EdgeCluster.PASSWORD).statusCode()).isEqualTo(200);
    List<Device> devices = new ArrayList<>();
    for (int d = 0; d < count; d++) {
      TestClient device = client.onPort(cluster.node(random.nextInt(2)).port());
      TestSocket socket = device.admittedSocket();
      List<String> channels = d % 2 == 0 ? ALL : SOME;
      socket.send(new JsonObject().put("type", "subscribe").put("channels", channels));
      socket.awaitType("snapshot");
      devices.add(new Device(socket, channels));
    }
    return new User(index, id, devices);
  }

  private static List<ServerEvent> eventsFor(List<User> users, Random random) {
    List<ServerEvent> events = new ArrayList<>();
    Instant now = Instant.now();
    for (User user : users) {
      String userId = user.id().toString();
      for (int s = 0; s < SYMBOLS; s++) {
        for (int v = 1; v <= VERSIONS; v++) {
          events.add(ServerEvents.positionUpdate(userId, new Position(symbol(user, s), BigDecimal.TEN,
              new BigDecimal(100 + v + ".00"), new BigDecimal("100.00"), null, null, null, PositionSide.LONG,
              null, now, now, (long) v), now));
        }
      }
      for (int v = 1; v <= VERSIONS; v++) {
        events.add(ServerEvents.orderUpdate(userId, new Order("u" + user.index() + "-o1", null, symbol(user, 0),
            OrderSide.BUY, OrderType.MARKET, TimeInForce.DAY, v == VERSIONS ? OrderStatus.FILLED : OrderStatus.NEW,
            BigDecimal.ONE, BigDecimal.ZERO, null, null, null, now, null, null, null, null, now, (long) v), now));
        events.add(ServerEvents.accountUpdate(userId, new Account(new BigDecimal(user.index() + ".00"),
            BigDecimal.ONE, new BigDecimal(user.index() + ".00"), BigDecimal.ONE, BigDecimal.ZERO, BigDecimal.ZERO,
            BigDecimal.ONE, now, (long) v), now));
      }
      for (int t = 0; t < TRADES; t++) {
        events.add(ServerEvents.tradeExecuted(userId, new Trade("u" + user.index() + "-t" + t, null,
            symbol(user, t % SYMBOLS), OrderSide.BUY, BigDecimal.ONE, BigDecimal.TEN, null, now, null), now));
      }
    }
    Collections.shuffle(events, random);
    return events;
  }

  /** Three producers (both nodes' event loops and a plain thread) publish interleaved. */
  private static void publishFromThreeProducers(List<ServerEvent> events) throws Exception {
    List<Vertx> producers = List.of(cluster.node(0).vertx(), cluster.node(1).vertx(), cluster.node(0).vertx());
    ExecutorService threads = Executors.newFixedThreadPool(3);
    List<java.util.concurrent.Future<?>> done = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      int producer = p;
      done.add(threads.submit(() -> {
        for (int i = producer; i < events.size(); i += 3) {
          UserEventBus.publish(producers.get(producer), events.get(i), UserEventBus.Meta.of(Instant.now()));
        }
      }));
    }
    for (var future : done) {
      future.get(60, TimeUnit.SECONDS);
    }
    threads.shutdown();
  }

  private static void awaitComplete(User user, Device device) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      Map<String, Long> positions = finalPositions(device);
      boolean complete = positions.size() == SYMBOLS && positions.values().stream().allMatch(v -> v == VERSIONS)
          && tradeIds(device).size() >= TRADES;
      if (device.channels().contains("orders")) {
        complete &= device.socket().entities("order").stream().anyMatch(o -> o.getLong("version") == VERSIONS)
            && device.socket().entities("account").stream().anyMatch(a -> a.getLong("version") == VERSIONS);
      }
      if (complete) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("user " + user.index() + " device " + device.channels() + " incomplete: "
        + finalPositions(device) + ", trades " + tradeIds(device));
  }

  private static long crossUserFrames(User user, Device device) {
    String prefix = "U" + user.index() + "X";
    long foreign = device.socket().received().stream()
        .filter(m -> !user.id().toString().equals(m.getString("userId"))).count();
    foreign += device.socket().entities("position").stream().filter(p -> !p.getString("symbol").startsWith(prefix)).count();
    foreign += device.socket().entities("trade").stream()
        .filter(t -> !t.getString("tradeId").startsWith("u" + user.index() + "-")).count();
    foreign += device.socket().entities("order").stream()
        .filter(o -> !o.getString("orderId").startsWith("u" + user.index() + "-")).count();
    foreign += device.socket().entities("account").stream()
        .filter(a -> !a.getString("cash").equals(user.index() + ".00")).count();
    return foreign;
  }

  private static Map<String, Long> finalPositions(Device device) {
    Map<String, Long> latest = new HashMap<>();
    for (JsonObject position : device.socket().entities("position")) {
      if (position.getLong("version") != null) {
        latest.merge(position.getString("symbol"), position.getLong("version"), Math::max);
      }
    }
    return latest;
  }

  private static Set<String> tradeIds(Device device) {
    List<String> ids = device.socket().entities("trade").stream().map(t -> t.getString("tradeId")).toList();
    return new HashSet<>(ids);
  }

  private static String symbol(User user, int s) {
    return "U" + user.index() + "X" + s;
  }
}
