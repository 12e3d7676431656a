package com.portfoliostream.ingest;

import static com.portfoliostream.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.broker.BrokerClients;
import com.portfoliostream.broker.accounts.BrokerAccount;
import com.portfoliostream.broker.alpaca.OrderRequest;
import com.portfoliostream.ingest.fills.FillPipeline;
import com.portfoliostream.ingest.lease.Fence;
import com.portfoliostream.ingest.lease.LeaseBalancer;
import com.portfoliostream.ingest.lease.StreamLeases;
import com.portfoliostream.ingest.stream.StreamState;
import com.portfoliostream.ingest.stream.TradingStreams;
import com.portfoliostream.testkit.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Stream ownership whose truth is PostgreSQL's: a stale owner's writes are refused, an owner cut off
 * from the database stops before its leases can lapse, and whatever the nodes' cluster says, one
 * account is never streamed by two nodes at once.
 */
@DisplayName("Fenced ownership of broker streams")
class FencedOwnershipTest {

  private static final Duration WITHIN = Duration.ofSeconds(20);

  @Test
  @DisplayName("a stale owner (its lease lapsed and was taken) has its fill refused and its stream stopped, the data unchanged; the new owner applies the fill once")
  void staleOwnerRefused() throws Exception {
    try (IngestHarness harness = IngestHarness.start(0, Map.of())) {
      Vertx vertx = Vertx.vertx();
      try {
        Pool pool = harness.db.pool(vertx);
        harness.db.seedDemo(vertx, pool);
        BrokerAccount alice = DemoAccounts.account(pool, harness.db.cipher(), "alice");
        String lease = LeaseBalancer.leaseName(alice.id());
        Fence stale = new StreamLeases(pool, "node-a", Duration.ofSeconds(3)).acquireOrRenew(lease)
            .await(10, TimeUnit.SECONDS).orElseThrow().fence();
        TradingStreams owner = streams(harness, vertx, pool);
        vertx.runOnContext(v -> owner.start(alice, stale));
        eventually(WITHIN, "the owner listening", () -> owner.states().get(alice.id()) == StreamState.LISTENING);
        eventually(WITHIN, "its lease lapsed", () -> new StreamLeases(pool, "probe", Duration.ZERO).holder(lease)
            .await(10, TimeUnit.SECONDS) == null);
        Fence current = new StreamLeases(pool, "node-b", Duration.ofSeconds(60)).acquireOrRenew(lease)
            .await(10, TimeUnit.SECONDS).orElseThrow().fence();
        assertThat(current.token()).isGreaterThan(stale.token());
        assertThat(owner.states().get(alice.id())).as("nothing told the old owner yet").isEqualTo(StreamState.LISTENING);
        BigDecimal before = qty(pool, alice, "AAPL");

        String orderId = harness.broker.submitOrder(alice.credentials(), new OrderRequest("AAPL", new BigDecimal("2"),
            "buy", "market", "day", null, null, UUID.randomUUID().toString())).await(10, TimeUnit.SECONDS).id();

        eventually(WITHIN, "the old owner's stream stopped by the refusal",
            () -> owner.states().get(alice.id()) == StreamState.STOPPED);
        assertThat(tradesOf(pool, orderId)).isZero();
        assertThat(count(pool, "SELECT count(*) FROM orders WHERE broker_order_id = $1", orderId)).isZero();
        assertThat(qty(pool, alice, "AAPL")).isEqualByComparingTo(before);

        TradingStreams newOwner = streams(harness, vertx, pool);
        vertx.runOnContext(v -> newOwner.start(alice, current));
        eventually(WITHIN, "the new owner's backfill applied the fill", () -> tradesOf(pool, orderId) == 1);
        assertThat(qty(pool, alice, "AAPL")).isEqualByComparingTo(before.add(new BigDecimal("2")));
      } finally {
        vertx.close().await(30, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  @DisplayName("an owner cut off from the database stops its trading streams and market data within one lease period, before its leases lapse")
  void ownerLosingTheDatabaseStops() throws Exception {
    try (IngestHarness harness = IngestHarness.start(1, Map.of(), IngestHarness.Layout.linked(0))) {
      IngestVerticle node = harness.verticles.get(0);
      Set<UUID> accounts = Set.of(harness.account("alice").id(), harness.account("bob").id());
      eventually(WITHIN, "both accounts and market data streamed", () ->
          listening(harness, 0).equals(accounts) && node.holdsMarketData());

      harness.links.get(0).cut();
      long cut = System.nanoTime();
      eventually(Duration.ofSeconds(10), "every stream stopped", () -> running(harness, 0).isEmpty()
          && !node.holdsMarketData());
      long stoppedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cut);
      long stillLive = count(harness.pool, "SELECT count(*) FROM stream_leases WHERE holder = 'node-0' "
          + "AND expires_at > now()", null);

      System.out.println("Streams stopped " + stoppedMs + " ms after the database was cut off");
      assertThat(stoppedMs).isLessThanOrEqualTo(IngestVerticle.LEASE_TTL.toMillis());
      assertThat(stillLive).as("stopped while its leases still held at the database: no one else could stream yet")
          .isEqualTo(3);
    }
  }

  @Test
  @DisplayName("two nodes, one cut off from the database: the other takes every stream over, and no account is ever streamed by both")
  void takeoverFromCutOffNode() throws Exception {
    try (IngestHarness harness = IngestHarness.start(2, Map.of(), IngestHarness.Layout.linked(0))) {
      Set<UUID> accounts = Set.of(harness.account("alice").id(), harness.account("bob").id());
      eventually(WITHIN, "one account on each node", () ->
          listening(harness, 0).size() == 1 && listening(harness, 1).size() == 1);

      harness.links.get(0).cut();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!listening(harness, 1).equals(accounts) || !harness.verticles.get(1).holdsMarketData()) {
        assertThat(System.nanoTime()).as("node 1 streams everything").isLessThan(deadline);
        assertNeverBoth(harness);
        Thread.sleep(20);
      }
      assertThat(running(harness, 0)).isEmpty();
      assertThat(harness.verticles.get(0).holdsMarketData()).isFalse();
    }
  }

  @Test
  @DisplayName("two halves of a split cluster on one database: each account streamed by exactly one node, the market data by one")
  void splitCluster() throws Exception {
    try (IngestHarness harness = IngestHarness.start(2, Map.of(), IngestHarness.Layout.SPLIT)) {
      Set<UUID> accounts = Set.of(harness.account("alice").id(), harness.account("bob").id());
      eventually(WITHIN, "every account streamed", () -> {
        Set<UUID> all = new java.util.HashSet<>(listening(harness, 0));
        all.addAll(listening(harness, 1));
        return all.equals(accounts);
      });
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
      while (System.nanoTime() < until) {
        assertNeverBoth(harness);
        assertThat(harness.verticles.get(0).holdsMarketData() && harness.verticles.get(1).holdsMarketData())
            .as("market data on both halves").isFalse();
        Thread.sleep(20);
      }
      assertThat(harness.verticles.get(0).holdsMarketData() || harness.verticles.get(1).holdsMarketData()).isTrue();
    }
  }

  private static void assertNeverBoth(IngestHarness harness) {
    Set<UUID> both = running(harness, 0);
    both.retainAll(running(harness, 1));
    assertThat(both).as("accounts streamed by both nodes at once").isEmpty();
  }

  private static TradingStreams streams(IngestHarness harness, Vertx vertx, Pool pool) {
    URI rest = URI.create("http://127.0.0.1:" + harness.simulator.actualPort());
    var client = new com.portfoliostream.broker.rest.AlpacaRestClient(vertx, rest, Duration.ofSeconds(10));
    IngestMetrics metrics = new IngestMetrics(new SimpleMeterRegistry(), Clock.systemUTC(), () -> 0);
    TradingStreams[] streams = new TradingStreams[1];
    FillPipeline fills = new FillPipeline(vertx, pool, client, metrics, Clock.systemUTC(), f -> streams[0].leaseLost(f));
    streams[0] = new TradingStreams(vertx, BrokerClients.streams(vertx),
        URI.create("ws://127.0.0.1:" + harness.simulator.actualPort() + "/stream"), fills, () -> { });
    return streams[0];
  }

  private static Set<UUID> listening(IngestHarness harness, int node) {
    return harness.verticles.get(node).streams().entrySet().stream()
        .filter(e -> e.getValue() == StreamState.LISTENING).map(Map.Entry::getKey).collect(Collectors.toSet());
  }

  /** Accounts whose stream runs on the node in any state but stopped. */
  private static Set<UUID> running(IngestHarness harness, int node) {
    List<StreamState> off = List.of(StreamState.STOPPED, StreamState.AUTH_FAILED);
    return harness.verticles.get(node).streams().entrySet().stream()
        .filter(e -> !off.contains(e.getValue())).map(Map.Entry::getKey).collect(Collectors.toSet());
  }

  private static long tradesOf(Pool pool, String brokerOrderId) throws Exception {
    return count(pool, "SELECT count(*) FROM trades t JOIN orders o ON o.id = t.order_id WHERE o.broker_order_id = $1",
        brokerOrderId);
  }

  private static BigDecimal qty(Pool pool, BrokerAccount account, String symbol) throws Exception {
    return TestDatabase.await(pool.preparedQuery("SELECT qty FROM positions WHERE account_id = $1 AND symbol = $2")
        .execute(Tuple.of(account.id(), symbol))).iterator().next().getBigDecimal("qty");
  }

  private static long count(Pool pool, String sql, Object parameter) throws Exception {
    Tuple parameters = parameter == null ? Tuple.tuple() : Tuple.of(parameter);
    return TestDatabase.await(pool.preparedQuery(sql).execute(parameters)).iterator().next().getLong(0);
  }
}
