package com.portfoliostream.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.common.config.ConfigLoader;
import com.portfoliostream.common.db.Database;
import com.portfoliostream.common.db.PgPools;
import com.portfoliostream.demo.DemoPortfolio;
import com.portfoliostream.node.Main;
import com.portfoliostream.testkit.Eventually;
import com.portfoliostream.testkit.FreePorts;
import com.portfoliostream.testkit.NodeProcess;
import com.portfoliostream.testkit.ProcessCluster;
import com.portfoliostream.testkit.TestClient;
import com.portfoliostream.testkit.TestSocket;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two node processes on loopback: an ingest member, and an ingest member that is the stream edge
 * too, alice and bob with two sockets each on the edge, fills flowing for both, each member
 * streaming one of the two accounts. The ingest-only member is frozen (SIGSTOP) for longer than
 * Hazelcast's failure detector (6 s) and the lease (6 s): the cluster goes on without it, the other
 * member takes its account over and that user's sockets go on getting their fills. Thawed, the member stops the streams it lost and comes back cleanly; no
 * socket gets any event twice, every fill reaches the database once, and the socket slots in the
 * database are the sockets open.
 */
@DisplayName("A frozen ingest member")
class FrozenIngestMemberTest {

  private static final Logger LOG = LoggerFactory.getLogger(FrozenIngestMemberTest.class);
  /** Longer than Hazelcast's max-no-heartbeat (6 s) and the stream lease (6 s). */
  private static final Duration FREEZE = Duration.ofSeconds(15);
  private static final Duration FILL_EVERY = Duration.ofMillis(250);
  private static final List<String> USERS = List.of("alice", "bob");
  private static final int SOCKETS_PER_USER = 2;
  private static final String ALL_CHANNELS = "{\"type\":\"subscribe\",\"channels\":[\"positions\",\"orders\",\"account\",\"trades\"]}";

  @TempDir Path dataDir;

  @Test
  @DisplayName("for 15 s: the other member takes its streams, users keep their events, none twice; thawed it streams nothing it lost and no slot is a ghost")
  void frozenIngestMember() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (Database database = Database.open(ConfigLoader.load(Map.of("DATA_DIR", dataDir.toString())));
         FaultBroker broker = FaultBroker.start(vertx, "127.0.0.1");
         ProcessCluster cluster = ProcessCluster.of(Main.class, "frozen-ingest", 2, database)) {
      Map<String, String> ingest = new HashMap<>(broker.settings());
      ingest.put("ROLES", "ingest");
      int edgePort = FreePorts.free();
      Map<String, String> edge = new HashMap<>(broker.settings());
      edge.putAll(Map.of("ROLES", "ingest,stream", "PORT", Integer.toString(edgePort)));
      NodeProcess frozen = cluster.start(0, "ingest", ingest);
      NodeProcess survivor = cluster.start(1, "ingest-edge", edge);
      for (NodeProcess node : List.of(frozen, survivor)) {
        node.awaitLine("Node .* up", ProcessCluster.START);
      }
      Pool pool = PgPools.create(vertx, database.url(), 2);
      BrokerLedgerCheck ledger = new BrokerLedgerCheck(pool, broker);
      String account = awaitOneEach(frozen, survivor);
      String user = userOf(ledger, account);
      Map<String, List<TestSocket>> sockets = openSockets(vertx, edgePort);

      broker.produceFills(FILL_EVERY);
      Thread.sleep(3_000);
      Freeze freeze = freezeUntilTakenOver(frozen, survivor, account, sockets.get(user));
      int fromThaw = frozen.output().size();
      frozen.thaw();
      long thawed = System.nanoTime();
      String outcome = awaitCleanReturn(frozen, survivor, fromThaw);
      long backMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - thawed);
      for (String key : FaultBroker.keyIds()) {
        Eventually.eventually(Duration.ofSeconds(60), "one trading stream of " + key + " after the thaw",
            () -> broker.open(key) == 1);
      }
      Thread.sleep(3_000);
      broker.stopFills();

      Map<String, Integer> fills = ledger.awaitEveryFillOnce(Duration.ofSeconds(60));
      assertThat(BrokerLedgerCheck.streamed(frozen)).as("accounts the thawed member streams that the other does too")
          .doesNotContainAnyElementsOf(BrokerLedgerCheck.streamed(survivor));
      Map<String, String> delivery = assertEveryEventOnce(pool, sockets);
      assertNoGhostSlots(pool, sockets);
      LOG.info("Frozen member figures: member removed {} ms after the freeze, {}'s account taken over {} ms after "
          + "it; thawed, the member {} after {} ms; orders placed {}, fills per key {}, most streams open at once per "
          + "key {} (the frozen member's connection stays open at the broker until it runs again), deliveries {}",
          freeze.removedMs(), user, freeze.takenOverMs(), outcome, backMs, broker.ordersPlaced(), fills,
          FaultBroker.keyIds().stream().collect(Collectors.toMap(Function.identity(), key -> mostOpen(broker, key))),
          delivery);
      sockets.values().forEach(list -> list.forEach(TestSocket::close));
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  /** When the cluster dropped the frozen member, and when the other took its account over. */
  private record Freeze(long removedMs, long takenOverMs) {}

  /**
   * Freezes the member; holds it frozen at least {@link #FREEZE}, and until the survivor streams
   * the member's account and its user's sockets have had fills from it since.
   */
  private static Freeze freezeUntilTakenOver(NodeProcess frozen, NodeProcess survivor, String account,
      List<TestSocket> watched) throws Exception {
    int survivorFrom = survivor.output().size();
    frozen.freeze();
    long frozenAt = System.nanoTime();
    survivor.awaitLineAfter(survivorFrom, "Cluster member left", Duration.ofSeconds(30));
    long removedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - frozenAt);
    survivor.awaitLineAfter(survivorFrom, "now streams broker account " + account, Duration.ofSeconds(30));
    long takenOverMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - frozenAt);
    Map<TestSocket, Integer> before = new HashMap<>();
    watched.forEach(socket -> before.put(socket, socket.entities("trade").size()));
    Eventually.eventually(Duration.ofSeconds(30), "the user's sockets getting fills while the member is frozen",
        () -> watched.stream().allMatch(socket -> socket.entities("trade").size() > before.get(socket)));
    Thread.sleep(Math.max(0, FREEZE.toMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - frozenAt)));
    return new Freeze(removedMs, takenOverMs);
  }

  /**
   * Waits for the thawed member to settle: it either exits (with status 0) or is a member of the
   * cluster again; answers which it did.
   */
  private static String awaitCleanReturn(NodeProcess frozen, NodeProcess survivor, int fromThaw) throws Exception {
    int survivorFrom = survivor.output().size();
    String outcome = Eventually.until(() -> {
      List<String> lines = frozen.output();
      if (lines.subList(fromThaw, lines.size()).stream().anyMatch(l -> l.contains("Node ") && l.contains(" stopped"))) {
        return "exited";
      }
      List<String> seen = survivor.output();
      boolean rejoined = seen.subList(survivorFrom, seen.size()).stream().anyMatch(l -> l.contains("Cluster member joined"));
      return rejoined ? "rejoined" : null;
    }, done -> done != null, Duration.ofSeconds(60));
    assertThat(outcome).as("the thawed member exited or rejoined").isNotNull();
    if (outcome.equals("exited")) {
      assertThat(frozen.awaitExit(Duration.ofSeconds(30))).as("its exit status").isZero();
    }
    return outcome;
  }

  /** Once the two members stream one account each: the account the first one streams. */
  private static String awaitOneEach(NodeProcess first, NodeProcess second) throws Exception {
    Set<String> mine = Eventually.until(() -> BrokerLedgerCheck.streamed(first),
        byFirst -> byFirst.size() == 1 && BrokerLedgerCheck.streamed(second).size() == 1, Duration.ofSeconds(60));
    if (mine.size() != 1 || BrokerLedgerCheck.streamed(second).size() != 1) {
      throw new AssertionError("the two ingest members did not share the accounts out");
    }
    return mine.iterator().next();
  }

  private static String userOf(BrokerLedgerCheck ledger, String account) throws Exception {
    for (DemoPortfolio.User user : DemoPortfolio.USERS) {
      if (user.account().isPresent() && ledger.accountId(user.account().get().apiKeyId()).equals(account)) {
        return user.username();
      }
    }
    throw new AssertionError("no demo user has account " + account);
  }

  /** Two sockets per user on the edge, each subscribed to every channel and past its snapshot. */
  private static Map<String, List<TestSocket>> openSockets(Vertx vertx, int port) throws Exception {
    Map<String, List<TestSocket>> sockets = new LinkedHashMap<>();
    for (String user : USERS) {
      TestClient client = new TestClient(vertx, port);
      assertThat(client.login(user, DemoPortfolio.DEFAULT_PASSWORD).statusCode()).isEqualTo(200);
      List<TestSocket> own = new ArrayList<>();
      for (int i = 0; i < SOCKETS_PER_USER; i++) {
        TestSocket socket = client.admittedSocket();
        socket.send(ALL_CHANNELS);
        socket.awaitType("snapshot");
        own.add(socket);
      }
      sockets.put(user, own);
    }
    return sockets;
  }

  /**
   * No socket got any trade, or any frame (by {@code seq}), twice, and none was closed; answers,
   * per socket, how many of its account's fills it got of how many there were.
   */
  private static Map<String, String> assertEveryEventOnce(Pool pool, Map<String, List<TestSocket>> sockets)
      throws Exception {
    Map<String, String> delivery = new LinkedHashMap<>();
    for (Map.Entry<String, List<TestSocket>> user : sockets.entrySet()) {
      Set<String> trades = tradeIds(pool, user.getKey());
      for (int i = 0; i < user.getValue().size(); i++) {
        TestSocket socket = user.getValue().get(i);
        String name = user.getKey() + "#" + i;
        List<String> got = socket.entities("trade").stream().map(t -> t.getString("tradeId")).toList();
        List<Long> seqs = socket.received().stream().map(m -> m.getLong("seq")).toList();
        assertThat(socket.isClosed()).as("%s closed", name).isFalse();
        assertThat(got).as("trades %s got more than once", name).doesNotHaveDuplicates();
        assertThat(seqs).as("seq of %s", name).doesNotHaveDuplicates().isSorted();
        assertThat(trades).as("trades %s got that are its account's", name).containsAll(got);
        delivery.put(name, got.size() + "/" + trades.size());
      }
    }
    return delivery;
  }

  /** The user's trades in the database: every fill since the sockets subscribed (the demo seeds none). */
  private static Set<String> tradeIds(Pool pool, String username) throws Exception {
    Set<String> ids = new HashSet<>();
    pool.preparedQuery("SELECT t.id FROM trades t JOIN users u ON u.id = t.user_id WHERE u.username = $1")
        .execute(Tuple.of(username)).await(10, TimeUnit.SECONDS).forEach(row -> ids.add(row.getUUID(0).toString()));
    return ids;
  }

  /** The socket slots in the database are exactly the sockets open, per user. */
  private static void assertNoGhostSlots(Pool pool, Map<String, List<TestSocket>> sockets) throws Exception {
    Map<String, Long> slots = new HashMap<>();
    for (Row row : pool.query("SELECT u.username, count(*) FROM socket_slots s JOIN users u ON u.id = s.user_id "
        + "GROUP BY u.username").execute().await(10, TimeUnit.SECONDS)) {
      slots.put(row.getString(0), row.getLong(1));
    }
    Map<String, Long> open = new HashMap<>();
    sockets.forEach((user, list) -> open.put(user, list.stream().filter(s -> !s.isClosed()).count()));
    assertThat(slots).as("socket slots per user in the database").isEqualTo(open);
  }

  private static int mostOpen(FaultBroker broker, String key) {
    try {
      return broker.mostOpen(key);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
