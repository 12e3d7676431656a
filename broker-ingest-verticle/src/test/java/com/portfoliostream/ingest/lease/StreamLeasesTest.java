package com.portfoliostream.ingest.lease;

import static com.portfoliostream.testkit.TestDatabase.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.portfoliostream.ingest.lease.Fence.LeaseLost;
import com.portfoliostream.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Two nodes' leases over one real PostgreSQL, every expiry judged by its clock. Leases that must
 * lapse during a test are short ({@link #SHORT}) and the test waits them out; each test uses
 * streams of its own, and the node table starts empty.
 */
@DisplayName("The fenced leases of broker streams, in PostgreSQL")
class StreamLeasesTest {

  private static final Duration LONG = Duration.ofSeconds(30);
  private static final Duration SHORT = Duration.ofMillis(300);

  private static TestDatabase db;
  private static Vertx vertx;
  private static Pool pool;
  private String stream;

  @BeforeAll
  static void database() throws Exception {
    db = TestDatabase.start();
    vertx = Vertx.vertx();
    pool = db.pool(vertx);
  }

  @AfterAll
  static void close() throws Exception {
    await(vertx.close());
    db.close();
  }

  @BeforeEach
  void freshStream() throws Exception {
    stream = "account:" + UUID.randomUUID();
    await(pool.query("DELETE FROM ingest_nodes").execute());
  }

  @Test
  @DisplayName("a free lease is taken with token 1, and its holder is then that node")
  void acquireFree() throws Exception {
    HeldLease held = await(node("node-a", LONG).acquireOrRenew(stream)).orElseThrow();

    assertThat(held.fence()).isEqualTo(new Fence(stream, "node-a", 1));
    assertThat(await(node("node-b", LONG).holder(stream))).isEqualTo("node-a");
  }

  @Test
  @DisplayName("a stream no one leased has no holder")
  void noHolder() throws Exception {
    assertThat(await(node("node-a", LONG).holder(stream))).isNull();
  }

  @Test
  @DisplayName("while the lease is live, a second node is refused and the holder stays")
  void secondOwnerRefused() throws Exception {
    await(node("node-a", LONG).acquireOrRenew(stream));

    assertThat(await(node("node-b", LONG).acquireOrRenew(stream))).isEmpty();
    assertThat(await(node("node-b", LONG).holder(stream))).isEqualTo("node-a");
  }

  @Test
  @DisplayName("renewing keeps the token and pushes the expiry a full TTL from the renewal")
  void renewKeepsToken() throws Exception {
    StreamLeases a = node("node-a", Duration.ofMillis(800));
    await(a.acquireOrRenew(stream));
    Thread.sleep(500);

    assertThat(await(a.acquireOrRenew(stream)).orElseThrow().fence().token()).isEqualTo(1);
    Thread.sleep(500);

    assertThat(await(a.holder(stream))).as("still live 1 s after the first grant").isEqualTo("node-a");
    assertThat(await(node("node-b", LONG).acquireOrRenew(stream))).isEmpty();
  }

  @Test
  @DisplayName("once the lease has expired another node takes it with the next token, and the old holder can no longer renew it")
  void takeoverAfterExpiry() throws Exception {
    StreamLeases a = node("node-a", SHORT);
    await(a.acquireOrRenew(stream));
    awaitLapse();

    assertThat(await(a.holder(stream))).as("an expired lease has no holder").isNull();
    assertThat(await(node("node-b", LONG).acquireOrRenew(stream)).orElseThrow().fence().token()).isEqualTo(2);
    assertThat(await(a.holder(stream))).isEqualTo("node-b");
    assertThat(await(a.acquireOrRenew(stream))).isEmpty();
  }

  @Test
  @DisplayName("a holder that takes its own lapsed lease again gets a new token: what it wrote under the old one is over")
  void ownLapsedLeaseNewToken() throws Exception {
    StreamLeases a = node("node-a", SHORT);
    await(a.acquireOrRenew(stream));
    awaitLapse();

    assertThat(await(a.acquireOrRenew(stream)).orElseThrow().fence().token()).isEqualTo(2);
  }

  @Test
  @DisplayName("the token only grows, across expiries, releases and holders")
  void tokenMonotonic() throws Exception {
    StreamLeases a = node("node-a", SHORT);
    StreamLeases b = node("node-b", SHORT);
    List<Long> tokens = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      HeldLease byA = await(a.acquireOrRenew(stream)).orElseThrow();
      tokens.add(byA.fence().token());
      await(a.release(byA.fence()));
      tokens.add(await(b.acquireOrRenew(stream)).orElseThrow().fence().token());
      awaitLapse();
    }

    assertThat(tokens).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
  }

  @Test
  @DisplayName("two nodes racing for 40 free leases at once: each lease goes to exactly one of them")
  void race() throws Exception {
    StreamLeases a = node("node-a", LONG);
    StreamLeases b = node("node-b", LONG);
    List<String> streams = new ArrayList<>();
    List<Future<Optional<HeldLease>>> byA = new ArrayList<>();
    List<Future<Optional<HeldLease>>> byB = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String name = stream + "-" + i;
      streams.add(name);
      byA.add(a.acquireOrRenew(name));
      byB.add(b.acquireOrRenew(name));
    }
    await(Future.join(byA));
    await(Future.join(byB));

    for (int i = 0; i < streams.size(); i++) {
      boolean aWon = byA.get(i).result().isPresent();
      boolean bWon = byB.get(i).result().isPresent();
      assertThat(aWon ^ bWon).as("exactly one holder of %s", streams.get(i)).isTrue();
      assertThat(await(a.holder(streams.get(i)))).isEqualTo(aWon ? "node-a" : "node-b");
    }
  }

  @Test
  @DisplayName("two nodes racing for one lapsed lease: one takes it with the next token, the other is refused")
  void raceForLapsed() throws Exception {
    await(node("node-c", SHORT).acquireOrRenew(stream));
    awaitLapse();

    Future<Optional<HeldLease>> byA = node("node-a", LONG).acquireOrRenew(stream);
    Future<Optional<HeldLease>> byB = node("node-b", LONG).acquireOrRenew(stream);
    await(Future.join(byA, byB));

    assertThat(byA.result().isPresent() ^ byB.result().isPresent()).isTrue();
    assertThat((byA.result().isPresent() ? byA : byB).result().orElseThrow().fence().token()).isEqualTo(2);
  }

  @Test
  @DisplayName("a released lease is free at once: another node takes it without waiting for the expiry")
  void releaseFrees() throws Exception {
    StreamLeases a = node("node-a", LONG);
    HeldLease held = await(a.acquireOrRenew(stream)).orElseThrow();

    await(a.release(held.fence()));

    assertThat(await(node("node-b", LONG).holder(stream))).isNull();
    assertThat(await(node("node-b", LONG).acquireOrRenew(stream))).isPresent();
  }

  @Test
  @DisplayName("a node cannot release a lease another node holds, nor one it held under an older token")
  void releaseByOtherIgnored() throws Exception {
    StreamLeases a = node("node-a", SHORT);
    HeldLease old = await(a.acquireOrRenew(stream)).orElseThrow();
    awaitLapse();
    await(node("node-b", LONG).acquireOrRenew(stream));

    await(a.release(old.fence()));
    await(a.release(new Fence(stream, "node-a", 2)));

    assertThat(await(a.holder(stream))).isEqualTo("node-b");
  }

  @Test
  @DisplayName("the snapshot shows live leases with their holders, lapsed ones apart, and counts the live nodes")
  void snapshot() throws Exception {
    String lapsing = stream + "-lapsing";
    StreamLeases a = node("node-a", SHORT);
    StreamLeases b = node("node-b", LONG);
    await(a.acquireOrRenew(lapsing));
    await(a.heartbeatAndRead());
    awaitLapse();
    await(b.acquireOrRenew(stream));

    StreamLeases.Snapshot snapshot = await(b.heartbeatAndRead());

    assertThat(snapshot.liveHolders()).containsEntry(stream, "node-b").doesNotContainKey(lapsing);
    assertThat(snapshot.lapsed()).contains(lapsing);
    assertThat(snapshot.liveNodes()).as("node-a's heartbeat lapsed with its lease").isEqualTo(1);
    assertThat(snapshot.free(stream)).isFalse();
    assertThat(snapshot.free(lapsing)).isFalse();
    assertThat(snapshot.free(stream + "-never-leased")).isTrue();
  }

  @Test
  @DisplayName("every node that heartbeats is counted live; one that leaves is not")
  void nodesCountedUntilTheyLeave() throws Exception {
    StreamLeases a = node("node-a", LONG);
    StreamLeases b = node("node-b", LONG);
    await(a.heartbeatAndRead());
    assertThat(await(b.heartbeatAndRead()).liveNodes()).isEqualTo(2);

    await(a.leave());

    assertThat(await(b.heartbeatAndRead()).liveNodes()).isEqualTo(1);
  }

  @Test
  @DisplayName("a write behind the holder's fence commits")
  void fencedWriteCommits() throws Exception {
    Fence fence = await(node("node-a", LONG).acquireOrRenew(stream)).orElseThrow().fence();

    String written = await(fence.transaction(pool, conn -> conn.query("SELECT 1").execute().map(rows -> "written")));

    assertThat(written).isEqualTo("written");
  }

  @Test
  @DisplayName("a write behind a fence whose lease lapsed is refused, even before anyone takes the lease over")
  void lapsedFenceRefused() throws Exception {
    Fence fence = await(node("node-a", SHORT).acquireOrRenew(stream)).orElseThrow().fence();
    awaitLapse();

    assertRefused(fence);
  }

  @Test
  @DisplayName("a write behind the old holder's fence after a takeover is refused with that fence")
  void staleFenceRefused() throws Exception {
    Fence stale = await(node("node-a", SHORT).acquireOrRenew(stream)).orElseThrow().fence();
    awaitLapse();
    Fence current = await(node("node-b", LONG).acquireOrRenew(stream)).orElseThrow().fence();

    assertRefused(stale);
    String written = await(current.transaction(pool, conn -> Future.succeededFuture("ok")));
    assertThat(written).isEqualTo("ok");
  }

  @Test
  @DisplayName("a takeover waits for the write the old holder started before its lease lapsed, so nothing it wrote lands after the new token")
  void takeoverWaitsForInFlightWrite() throws Exception {
    Fence fence = await(node("node-a", SHORT).acquireOrRenew(stream)).orElseThrow().fence();
    Promise<Void> finishWrite = Promise.promise();
    Future<String> write = fence.transaction(pool, conn -> finishWrite.future().map("committed"));
    Thread.sleep(100); // the write has passed its fence check and holds the lease row
    awaitLapse();

    Future<Optional<HeldLease>> takeover = node("node-b", LONG).acquireOrRenew(stream);
    Thread.sleep(300);
    assertThat(takeover.isComplete()).as("the takeover waits for the write in flight").isFalse();
    vertx.runOnContext(v -> finishWrite.complete());

    String committed = await(write);
    assertThat(committed).isEqualTo("committed");
    assertThat(await(takeover).orElseThrow().fence().token()).isEqualTo(2);
  }

  private static void assertRefused(Fence fence) {
    assertThatThrownBy(() -> await(fence.transaction(pool, conn -> Future.succeededFuture("written"))))
        .isInstanceOf(ExecutionException.class).cause().isInstanceOf(LeaseLost.class)
        .satisfies(e -> assertThat(LeaseLost.of(e)).isEqualTo(fence));
  }

  private static StreamLeases node(String nodeId, Duration ttl) {
    return new StreamLeases(pool, nodeId, ttl);
  }

  private static void awaitLapse() throws InterruptedException {
    TimeUnit.MILLISECONDS.sleep(SHORT.toMillis() + 150);
  }
}
