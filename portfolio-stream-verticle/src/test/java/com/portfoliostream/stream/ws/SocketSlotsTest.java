package com.portfoliostream.stream.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.common.db.PgPools;
import com.portfoliostream.testkit.DatabaseLink;
import com.portfoliostream.testkit.Eventually;
import com.portfoliostream.testkit.Fixtures;
import com.portfoliostream.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The per-user socket limit in PostgreSQL, under node leases judged by the database's clock. */
@DisplayName("Socket slots under node leases")
class SocketSlotsTest {

  static TestDatabase database;
  static Vertx vertx;
  static Pool pool;
  static UUID alice;
  /** Each node's own pool, its sessions named after it as a node's are: closed after each test. */
  final List<Pool> nodePools = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    database = TestDatabase.start();
    vertx = Vertx.vertx();
    pool = database.pool(vertx);
    database.seedDemo(vertx, pool);
    alice = Fixtures.userId(pool, "alice");
  }

  @AfterAll
  static void stop() throws Exception {
    pool.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(30, TimeUnit.SECONDS);
    database.close();
  }

  @BeforeEach
  void emptyTables() throws Exception {
    pool.query("DELETE FROM node_leases").execute().await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void closeNodePools() throws Exception {
    for (Pool nodePool : nodePools) {
      nodePool.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName("40 parallel admissions of one user from two nodes admit exactly the limit")
  void limitHoldsUnderParallelism() throws Exception {
    UserSlots a = node("node-a");
    UserSlots b = node("node-b");
    List<Future<UserSlots.Admission>> tries = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      tries.add((i % 2 == 0 ? a : b).acquire(alice, "socket-" + i));
    }
    Future.join(tries).await(30, TimeUnit.SECONDS);

    assertThat(tries).filteredOn(t -> t.result() == UserSlots.Admission.ADMITTED).hasSize(5);
    assertThat(a.count(alice).await(10, TimeUnit.SECONDS)).isEqualTo(5);
  }

  @Test
  @DisplayName("a storm of 3000 admissions and then 3000 releases at once waits its turn: every one admitted, every slot freed, the pool never overflowed")
  void stormWaitsItsTurn() throws Exception {
    pool.preparedQuery("INSERT INTO node_leases (node_id) VALUES ($1)").execute(Tuple.of("node-storm")).await(10, TimeUnit.SECONDS);
    UserSlots slots = new UserSlots(vertx, sessionsOf("node-storm"), "node-storm", 10_000, 2, 5_000);
    List<Future<UserSlots.Admission>> admissions = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      admissions.add(slots.acquire(alice, "storm-" + i));
    }
    Future.join(admissions).await(60, TimeUnit.SECONDS);
    assertThat(admissions).allSatisfy(a -> assertThat(a.result()).isEqualTo(UserSlots.Admission.ADMITTED));

    for (int i = 0; i < 3_000; i++) {
      slots.release("storm-" + i);
    }
    Eventually.eventually(Duration.ofSeconds(20), "every slot freed", () -> slots.count(alice).await(10, TimeUnit.SECONDS) == 0);
  }

  @Test
  @DisplayName("pruning removes this node's slots of sockets it no longer holds, and no other node's")
  void pruneForgetsLostReleases() throws Exception {
    UserSlots mine = node("node-mine");
    UserSlots other = node("node-other");
    SocketConnection kept = new SocketConnection(null, alice, "session", Clock.systemUTC(), 100);
    assertThat(mine.acquire(alice, kept.id()).await(10, TimeUnit.SECONDS)).isEqualTo(UserSlots.Admission.ADMITTED);
    assertThat(mine.acquire(alice, "lost-release").await(10, TimeUnit.SECONDS)).isEqualTo(UserSlots.Admission.ADMITTED);
    assertThat(other.acquire(alice, "elsewhere").await(10, TimeUnit.SECONDS)).isEqualTo(UserSlots.Admission.ADMITTED);

    mine.prune(List.of(kept)).await(10, TimeUnit.SECONDS);

    assertThat(mine.count(alice).await(10, TimeUnit.SECONDS)).as("kept and elsewhere").isEqualTo(2);
  }

  @Test
  @DisplayName("a silent node's sockets first make a refusal 'try again' (1013), then stop counting once its lease lapses")
  void silentNodeStopsCounting() throws Exception {
    UserSlots frozen = node("node-frozen");
    UserSlots survivor = node("node-survivor");
    holdTheLimit(frozen, survivor);

    age("node-frozen", 3_000);
    assertThat(survivor.acquire(alice, "new-1").await(10, TimeUnit.SECONDS))
        .as("lease older than SUSPECT_MS").isEqualTo(UserSlots.Admission.HELD_BY_SILENT_NODE);

    age("node-frozen", NodeLease.LEASE_MS + 1_000);
    assertThat(survivor.acquire(alice, "new-2").await(10, TimeUnit.SECONDS))
        .as("lease lapsed").isEqualTo(UserSlots.Admission.ADMITTED);
    assertThat(survivor.count(alice).await(10, TimeUnit.SECONDS)).isEqualTo(1);
  }

  @Test
  @DisplayName("a node whose database sessions all ended (its process died) stops counting at once, long before its lease lapses")
  void deadNodeStopsCountingAtOnce() throws Exception {
    Pool killedSessions = sessionsOf("node-killed");
    UserSlots killed = new UserSlots(vertx, killedSessions, "node-killed", 5, 4, 1_000);
    pool.preparedQuery("INSERT INTO node_leases (node_id) VALUES ($1)").execute(Tuple.of("node-killed")).await(10, TimeUnit.SECONDS);
    UserSlots survivor = node("node-survivor");
    holdTheLimit(killed, survivor);

    nodePools.remove(killedSessions);
    killedSessions.close().await(10, TimeUnit.SECONDS);

    // Well within SUSPECT_MS: its fresh lease alone would still count every slot as live.
    Eventually.eventually(Duration.ofMillis(NodeLease.SUSPECT_MS / 2), "admitted once the dead node's sessions are gone",
        () -> survivor.acquire(alice, "new-" + UUID.randomUUID()).await(10, TimeUnit.SECONDS) == UserSlots.Admission.ADMITTED);
    assertThat(fresh("node-killed")).as("its lease is still fresh").isTrue();
  }

  @Test
  @DisplayName("a node that took its lapsed lease again holds its older sockets in doubt: a user at the limit through them is told to try again (1013), not refused (1008)")
  void retakenLeaseInDoubt() throws Exception {
    UserSlots healed = node("node-healed");
    UserSlots survivor = node("node-survivor");
    holdTheLimit(healed, survivor);

    // Cut off from the database past its lease, then back: it takes its lease again.
    age("node-healed", NodeLease.LEASE_MS + 1_000);
    pool.preparedQuery(NodeLease.TAKE).execute(Tuple.of("node-healed")).await(10, TimeUnit.SECONDS);
    assertThat(survivor.acquire(alice, "new-1").await(10, TimeUnit.SECONDS)).isEqualTo(UserSlots.Admission.HELD_BY_SILENT_NODE);

    pool.preparedQuery("UPDATE node_leases SET retaken_at = now() - make_interval(secs => $2::float8 / 1000) WHERE node_id = $1")
        .execute(Tuple.of("node-healed", NodeLease.RETAKEN_IN_DOUBT_MS + 1_000)).await(10, TimeUnit.SECONDS);
    assertThat(survivor.acquire(alice, "new-2").await(10, TimeUnit.SECONDS)).as("no longer in doubt")
        .isEqualTo(UserSlots.Admission.FULL);
  }

  @Test
  @DisplayName("a node frozen inside an admission holds the user's lock only until PostgreSQL ends its idle transaction, then another node admits")
  void frozenTransactionEnds() throws Exception {
    SqlConnection stuck = sessionsOf("node-stuck").getConnection().await(10, TimeUnit.SECONDS);
    stuck.begin().await(10, TimeUnit.SECONDS);
    stuck.preparedQuery(UserSlots.LOCK_USER).execute(Tuple.of(alice.toString())).await(10, TimeUnit.SECONDS);
    UserSlots survivor = node("node-survivor");
    long started = System.nanoTime();

    assertThat(survivor.acquire(alice, "after-the-stuck-one").await(PgPools.IDLE_IN_TRANSACTION_TIMEOUT_MS * 3L, TimeUnit.MILLISECONDS))
        .isEqualTo(UserSlots.Admission.ADMITTED);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).as("it waited for the stuck transaction to be ended")
        .isGreaterThan(Duration.ofMillis(PgPools.IDLE_IN_TRANSACTION_TIMEOUT_MS / 2));
  }

  @Test
  @DisplayName("a node whose loop stalls past its lease drops its sockets; one whose lease lapsed while it kept renewing counts its sockets again")
  void lapsedLease() throws Exception {
    AtomicInteger presumedGone = new AtomicInteger();
    AtomicInteger retaken = new AtomicInteger();
    NodeLease lease = new NodeLease(vertx, pool, "node-lapsing", new NodeLease.Lapse() {
      @Override
      public void presumedGone() {
        presumedGone.incrementAndGet();
      }

      @Override
      public Future<Void> retaken() {
        retaken.incrementAndGet();
        return Future.succeededFuture();
      }
    });
    Promise<Void> started = Promise.promise();
    io.vertx.core.Context loop = vertx.getOrCreateContext();
    loop.runOnContext(v -> lease.start().onComplete(started));
    started.future().await(10, TimeUnit.SECONDS);

    // The database moves the lease back past its end while the node renews on: an outage seen from the node.
    age("node-lapsing", NodeLease.LEASE_MS + 1_000);
    Eventually.eventually(Duration.ofSeconds(5), "the lease taken again", () -> retaken.get() == 1);
    assertThat(presumedGone).hasValue(0);

    // The node's loop stops for longer than the lease: a frozen process.
    loop.runOnContext(v -> {
      try {
        Thread.sleep(NodeLease.LEASE_MS + 1_500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    Eventually.eventually(Duration.ofSeconds(15), "the node presumed gone", () -> presumedGone.get() == 1);
    assertThat(retaken).as("a stalled node does not count its old sockets again").hasValue(1);
    Eventually.eventually(Duration.ofSeconds(5), "a fresh lease", () -> fresh("node-lapsing"));
    loop.runOnContext(v -> lease.stop());
  }

  @Test
  @DisplayName("a renewal stuck on a partitioned connection is given up: renewals go on over a fresh one as soon as the network heals, not when TCP retries")
  void renewalStuckOnAPartition() throws Exception {
    try (DatabaseLink link = DatabaseLink.to(vertx, database.database().url())) {
      Pool through = link.pool(vertx);
      nodePools.add(through);
      AtomicInteger renewals = new AtomicInteger();
      AtomicInteger retaken = new AtomicInteger();
      NodeLease lease = new NodeLease(vertx, through, "node-partitioned", new NodeLease.Lapse() {
        @Override
        public void presumedGone() {}

        @Override
        public Future<Void> retaken() {
          retaken.incrementAndGet();
          return Future.succeededFuture();
        }

        @Override
        public Future<Void> renewed(long count) {
          renewals.incrementAndGet();
          return Future.succeededFuture();
        }
      });
      io.vertx.core.Context loop = vertx.getOrCreateContext();
      Promise<Void> started = Promise.promise();
      loop.runOnContext(v -> lease.start().onComplete(started));
      started.future().await(10, TimeUnit.SECONDS);
      Eventually.eventually(Duration.ofSeconds(5), "renewing", () -> renewals.get() > 0);

      link.cut();
      Thread.sleep(NodeLease.LEASE_MS + 1_000);
      int beforeHeal = renewals.get();
      // TCP would retry the stuck renewal's packets only half a minute later.
      link.heal(vertx, Duration.ofSeconds(30));
      Eventually.eventually(Duration.ofSeconds(NodeLease.ATTEMPT_MS / 1000 + 4), "the lease held again over a fresh connection",
          () -> retaken.get() == 1 || renewals.get() > beforeHeal);
      loop.runOnContext(v -> lease.stop());
    }
  }

  /** Alice's five sockets on {@code holder}: {@code other} cannot admit a sixth. */
  private static void holdTheLimit(UserSlots holder, UserSlots other) throws Exception {
    for (int i = 0; i < 5; i++) {
      assertThat(holder.acquire(alice, "held-" + i).await(10, TimeUnit.SECONDS)).isEqualTo(UserSlots.Admission.ADMITTED);
    }
    assertThat(other.acquire(alice, "new-0").await(10, TimeUnit.SECONDS)).isEqualTo(UserSlots.Admission.FULL);
  }

  private UserSlots node(String nodeId) throws Exception {
    pool.preparedQuery("INSERT INTO node_leases (node_id) VALUES ($1)").execute(Tuple.of(nodeId)).await(10, TimeUnit.SECONDS);
    return new UserSlots(vertx, sessionsOf(nodeId), nodeId, 5, 4, 1_000);
  }

  private Pool sessionsOf(String nodeId) {
    Pool nodePool = database.pool(vertx, nodeId);
    nodePools.add(nodePool);
    return nodePool;
  }

  private static void age(String nodeId, long millis) throws Exception {
    pool.preparedQuery("UPDATE node_leases SET renewed_at = now() - make_interval(secs => $2::float8 / 1000) WHERE node_id = $1")
        .execute(Tuple.of(nodeId, millis)).await(10, TimeUnit.SECONDS);
  }

  private static boolean fresh(String nodeId) throws Exception {
    return pool.preparedQuery("SELECT renewed_at > now() - interval '2 seconds' FROM node_leases WHERE node_id = $1")
        .execute(Tuple.of(nodeId)).await(10, TimeUnit.SECONDS).iterator().next().getBoolean(0);
  }
}
