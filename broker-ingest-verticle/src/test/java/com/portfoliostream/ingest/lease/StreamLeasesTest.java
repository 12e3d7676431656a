package com.portfoliostream.ingest.lease;

import static com.portfoliostream.testkit.TestDatabase.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Two nodes' leases over one shared map. The leases live in Vert.x shared data (Hazelcast in a
 * cluster, the local async map here), not in PostgreSQL; both nodes share one Vert.x, so they
 * share the map, and one clock under test control.
 */
@DisplayName("The cluster-wide leases of broker streams (clock under test control)")
class StreamLeasesTest {

  private static final Duration TTL = Duration.ofSeconds(30);
  private static final String STREAM = "account-1";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T15:00:00Z"));
  private Vertx vertx;
  private StreamLeases nodeA;
  private StreamLeases nodeB;

  @BeforeEach
  void freshMap() {
    vertx = Vertx.vertx();
    nodeA = new StreamLeases(vertx, "node-a", TTL, clock);
    nodeB = new StreamLeases(vertx, "node-b", TTL, clock);
  }

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  @Test
  @DisplayName("a free lease is taken, and its holder is then that node")
  void acquireFree() throws Exception {
    assertThat(await(nodeA.acquireOrRenew(STREAM))).isTrue();

    assertThat(await(nodeB.holder(STREAM))).isEqualTo("node-a");
  }

  @Test
  @DisplayName("a stream no one leased has no holder")
  void noHolder() throws Exception {
    assertThat(await(nodeA.holder(STREAM))).isNull();
  }

  @Test
  @DisplayName("while the lease is live, a second node is refused and the holder stays")
  void secondOwnerRefused() throws Exception {
    await(nodeA.acquireOrRenew(STREAM));
    clock.advance(TTL.minusSeconds(1));

    assertThat(await(nodeB.acquireOrRenew(STREAM))).isFalse();
    assertThat(await(nodeB.holder(STREAM))).isEqualTo("node-a");
  }

  @Test
  @DisplayName("at the very millisecond of its expiry the lease is still live")
  void liveAtExpiry() throws Exception {
    await(nodeA.acquireOrRenew(STREAM));
    clock.advance(TTL);

    assertThat(await(nodeB.acquireOrRenew(STREAM))).isFalse();
    assertThat(await(nodeB.holder(STREAM))).isEqualTo("node-a");
  }

  @Test
  @DisplayName("renewing pushes the expiry a full TTL from the renewal")
  void renewExtends() throws Exception {
    await(nodeA.acquireOrRenew(STREAM));
    clock.advance(TTL.minusSeconds(5));

    assertThat(await(nodeA.acquireOrRenew(STREAM))).isTrue();
    clock.advance(Duration.ofSeconds(10));

    assertThat(await(nodeB.holder(STREAM))).isEqualTo("node-a");
    assertThat(await(nodeB.acquireOrRenew(STREAM))).isFalse();
  }

  @Test
  @DisplayName("an expired lease has no holder")
  void expiredHasNoHolder() throws Exception {
    await(nodeA.acquireOrRenew(STREAM));
    clock.advance(TTL.plusMillis(1));

    assertThat(await(nodeA.holder(STREAM))).isNull();
  }

  @Test
  @DisplayName("once the lease has expired, another node takes it over, and the old holder can no longer renew it")
  void takeoverAfterExpiry() throws Exception {
    await(nodeA.acquireOrRenew(STREAM));
    clock.advance(TTL.plusMillis(1));

    assertThat(await(nodeB.acquireOrRenew(STREAM))).isTrue();
    assertThat(await(nodeA.holder(STREAM))).isEqualTo("node-b");
    assertThat(await(nodeA.acquireOrRenew(STREAM))).isFalse();
  }

  @Test
  @DisplayName("a released lease is free at once: another node takes it without waiting for the expiry")
  void releaseFrees() throws Exception {
    await(nodeA.acquireOrRenew(STREAM));

    await(nodeA.release(STREAM));

    assertThat(await(nodeB.holder(STREAM))).isNull();
    assertThat(await(nodeB.acquireOrRenew(STREAM))).isTrue();
  }

  @Test
  @DisplayName("a node cannot release a lease another node holds")
  void releaseByOtherIgnored() throws Exception {
    await(nodeA.acquireOrRenew(STREAM));

    await(nodeB.release(STREAM));

    assertThat(await(nodeB.holder(STREAM))).isEqualTo("node-a");
  }

  @Test
  @DisplayName("the snapshot shows live leases with their holders, lapsed ones apart, and counts the live nodes")
  void snapshot() throws Exception {
    await(nodeA.acquireOrRenew("lapsing"));
    await(nodeA.heartbeatAndRead());
    clock.advance(TTL.plusMillis(1));
    await(nodeB.acquireOrRenew(STREAM));

    StreamLeases.Snapshot snapshot = await(nodeB.heartbeatAndRead());

    assertThat(snapshot.liveHolders()).containsOnlyKeys(STREAM).containsEntry(STREAM, "node-b");
    assertThat(snapshot.lapsed()).containsExactly("lapsing");
    assertThat(snapshot.liveNodes()).as("node-a's heartbeat lapsed with its lease").isEqualTo(1);
    assertThat(snapshot.free(STREAM)).isFalse();
    assertThat(snapshot.free("lapsing")).isFalse();
    assertThat(snapshot.free("never-leased")).isTrue();
  }

  @Test
  @DisplayName("every node that heartbeats is counted live; one that leaves is not")
  void nodesCountedUntilTheyLeave() throws Exception {
    await(nodeA.heartbeatAndRead());
    assertThat(await(nodeB.heartbeatAndRead()).liveNodes()).isEqualTo(2);

    await(nodeA.leave());

    assertThat(await(nodeB.heartbeatAndRead()).liveNodes()).isEqualTo(1);
  }

  @Test
  @DisplayName("node heartbeats are not counted as leases")
  void heartbeatsAreNotLeases() throws Exception {
    StreamLeases.Snapshot snapshot = await(nodeA.heartbeatAndRead());

    assertThat(snapshot.liveHolders()).isEmpty();
    assertThat(snapshot.lapsed()).isEmpty();
  }

  /** A clock the test moves by hand. */
  private static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
