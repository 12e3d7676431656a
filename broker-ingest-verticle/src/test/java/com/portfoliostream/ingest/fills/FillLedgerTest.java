package com.portfoliostream.ingest.fills;

import static com.portfoliostream.testkit.TestDatabase.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.portfoliostream.ingest.DemoAccounts;
import com.portfoliostream.broker.accounts.BrokerAccount;
import com.portfoliostream.broker.alpaca.AlpacaCodec;
import com.portfoliostream.broker.alpaca.TradingStreamMessage.TradeUpdate;
import com.portfoliostream.events.model.OrderStatus;
import com.portfoliostream.events.model.PositionSide;
import com.portfoliostream.ingest.lease.Fence;
import com.portfoliostream.ingest.lease.Fence.LeaseLost;
import com.portfoliostream.ingest.lease.HeldLease;
import com.portfoliostream.ingest.lease.LeaseBalancer;
import com.portfoliostream.ingest.lease.StreamLeases;
import com.portfoliostream.testkit.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The fill transaction against a real PostgreSQL, fed with Alpaca-shaped trade_updates messages,
 * under a real lease of alice's stream.
 */
@DisplayName("The fill ledger")
class FillLedgerTest {

  private static final Duration LONG = Duration.ofSeconds(60);
  private static TestDatabase db;
  private static Vertx vertx;
  private static Pool pool;
  private FillLedger ledger;
  private BrokerAccount alice;
  private Fence fence;

  @BeforeAll
  static void database() throws Exception {
    db = TestDatabase.start();
    vertx = Vertx.vertx();
    pool = db.pool(vertx);
    db.seedDemo(vertx, pool);
  }

  @AfterAll
  static void close() throws Exception {
    await(vertx.close());
    db.close();
  }

  @BeforeEach
  void fresh() throws Exception {
    ledger = new FillLedger(pool);
    alice = DemoAccounts.account(pool, db.cipher(), "alice");
    await(pool.query("DELETE FROM stream_leases").execute());
    fence = lease("ledger-test", alice, LONG).fence();
  }

  @Test
  @DisplayName("a fill delivered twice (a replay after a reconnect) changes the position once")
  void replayedFill() throws Exception {
    String order = UUID.randomUUID().toString();
    TradeUpdate fill = update("fill", "exec-" + order, order, "NVDA", "buy", "10", "10", "10", "500.00", "filled");

    LedgerEntry first = await(ledger.apply(fence, alice, fill));
    LedgerEntry again = await(ledger.apply(fence, alice, fill));

    assertThat(first.trade()).isPresent();
    assertThat(first.position().orElseThrow().quantity()).isEqualByComparingTo("35"); // 25 + 10
    assertThat(again.duplicateExecution()).isTrue();
    assertThat(again.trade()).isEmpty();
    assertThat(again.position()).isEmpty();
    assertThat(qty("NVDA")).isEqualByComparingTo("35");
    assertThat(count("SELECT count(*) FROM trades WHERE execution_id = $1", "exec-" + order)).isEqualTo(1);
  }

  @Test
  @DisplayName("partial fills then the last fill: order, trades and position move step by step, exactly")
  void partialFills() throws Exception {
    String order = UUID.randomUUID().toString();
    await(ledger.apply(fence, alice, update("new", null, order, "META", "buy", "30", "0", null, null, "new")));
    LedgerEntry p1 = await(ledger.apply(fence, alice, update("partial_fill", "e1-" + order, order, "META", "buy", "30", "10",
        "10", "489.40", "partially_filled")));
    LedgerEntry p2 = await(ledger.apply(fence, alice, update("fill", "e2-" + order, order, "META", "buy", "30", "30",
        "20", "489.90", "filled")));

    assertThat(p1.order().orElseThrow().status()).isEqualTo(OrderStatus.PARTIALLY_FILLED);
    assertThat(p2.order().orElseThrow().status()).isEqualTo(OrderStatus.FILLED);
    assertThat(p2.order().orElseThrow().filledQty()).isEqualByComparingTo("30");
    // (10 × 489.40 + 20 × 489.90) / 30 = 489.7333…
    assertThat(p2.position().orElseThrow().entryPrice()).isEqualByComparingTo("489.733333333");
    assertThat(qty("META")).isEqualByComparingTo("30");
  }

  @Test
  @DisplayName("a late, older order event does not take back what a newer one recorded")
  void staleEvent() throws Exception {
    String order = UUID.randomUUID().toString();
    await(ledger.apply(fence, alice, update("fill", "e-" + order, order, "AMZN", "buy", "5", "5", "5", "181.75", "filled")));

    LedgerEntry late = await(ledger.apply(fence, alice, update("new", null, order, "AMZN", "buy", "5", "0", null, null, "new")));

    assertThat(late.order()).isEmpty();
    assertThat(status(order)).isEqualTo("filled");
  }

  @Test
  @DisplayName("selling more than held flips the position short and records the realized P&L on the trade")
  void flip() throws Exception {
    String order = UUID.randomUUID().toString();
    // alice holds 50 TSLA long @ 245.75 (demo)
    LedgerEntry entry = await(ledger.apply(fence, alice, update("fill", "e-" + order, order, "TSLA", "sell", "80", "80",
        "80", "250.00", "filled")));

    assertThat(entry.position().orElseThrow().side()).isEqualTo(PositionSide.SHORT);
    assertThat(entry.position().orElseThrow().quantity()).isEqualByComparingTo("30");
    assertThat(entry.trade().orElseThrow().pnl()).isEqualByComparingTo("212.50");
    // and back: buy 30 closes the short at a loss of 30 × 2
    String cover = UUID.randomUUID().toString();
    LedgerEntry closed = await(ledger.apply(fence, alice, update("fill", "e-" + cover, cover, "TSLA", "buy", "30", "30",
        "30", "252.00", "filled")));
    assertThat(closed.position().orElseThrow().quantity()).isEqualByComparingTo("0");
    assertThat(closed.trade().orElseThrow().pnl()).isEqualByComparingTo("-60.00");
  }

  @Test
  @DisplayName("an order placed at the broker without us is tracked from its first event")
  void foreignOrder() throws Exception {
    String order = UUID.randomUUID().toString();
    LedgerEntry entry = await(ledger.apply(fence, alice, update("fill", "e-" + order, order, "SPY", "buy", "2", "2",
        "2", "512.60", "filled")));

    assertThat(entry.order().orElseThrow().symbol()).isEqualTo("SPY");
    assertThat(status(order)).isEqualTo("filled");
    assertThat(qty("SPY")).isEqualByComparingTo("2");
  }

  @Test
  @DisplayName("an event on alice's stream naming bob's order changes nothing of bob's or alice's, and is dropped")
  void anotherAccountsOrder() throws Exception {
    BrokerAccount bob = DemoAccounts.account(pool, db.cipher(), "bob");
    Fence bobFence = lease("ledger-test", bob, LONG).fence();
    String bobsOrder = UUID.randomUUID().toString();
    await(ledger.apply(bobFence, bob, update("new", null, bobsOrder, "AMZN", "buy", "3", "0", null, null, "new")));

    LedgerEntry entry = await(ledger.apply(fence, alice, update("fill", "e-" + bobsOrder, bobsOrder, "AMZN", "buy", "3", "3",
        "3", "181.75", "filled")));

    assertThat(entry.changedAnything()).isFalse();
    assertThat(status(bobsOrder)).isEqualTo("new");
    assertThat(count("SELECT count(*) FROM trades WHERE execution_id = $1", "e-" + bobsOrder)).isZero();
  }

  @Test
  @DisplayName("a stale owner's fill (its lease lapsed and was taken over) is refused whole: no trade, order or position change; the new owner's applies once")
  void staleOwnerRefused() throws Exception {
    BrokerAccount bob = DemoAccounts.account(pool, db.cipher(), "bob");
    Fence stale = lease("stale-node", bob, Duration.ofMillis(300)).fence();
    Thread.sleep(450);
    Fence current = lease("new-owner", bob, LONG).fence();
    String order = UUID.randomUUID().toString();
    TradeUpdate fill = update("fill", "exec-" + order, order, "AMZN", "buy", "4", "4", "4", "181.75", "filled");
    BigDecimal before = qty(bob, "AMZN");

    assertThatThrownBy(() -> await(ledger.apply(stale, bob, fill)))
        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(LeaseLost.class);

    assertThat(count("SELECT count(*) FROM trades WHERE execution_id = $1", "exec-" + order)).isZero();
    assertThat(count("SELECT count(*) FROM orders WHERE client_order_id = $1", order)).isZero();
    assertThat(qty(bob, "AMZN")).isEqualByComparingTo(before);
    await(ledger.apply(current, bob, fill));
    assertThat(qty(bob, "AMZN")).isEqualByComparingTo(before.add(new BigDecimal("4")));
  }

  @Test
  @DisplayName("a late new or pending_new after pending_cancel leaves the order pending_cancel")
  void lateNewAfterPendingCancel() throws Exception {
    String order = UUID.randomUUID().toString();
    await(ledger.apply(fence, alice, update("new", null, order, "AAPL", "buy", "3", "0", null, null, "new")));
    markPendingCancel(order);

    LedgerEntry lateNew = await(ledger.apply(fence, alice, update("new", null, order, "AAPL", "buy", "3", "0", null,
        null, "new")));
    LedgerEntry latePending = await(ledger.apply(fence, alice, update("pending_new", null, order, "AAPL", "buy", "3",
        "0", null, null, "pending_new")));

    assertThat(lateNew.order()).isEmpty();
    assertThat(latePending.order()).isEmpty();
    assertThat(status(order)).isEqualTo("pending_cancel");
  }

  @Test
  @DisplayName("a cancel the broker refuses (order_cancel_rejected) puts a pending_cancel order back to the broker's status")
  void cancelRefused() throws Exception {
    String order = UUID.randomUUID().toString();
    await(ledger.apply(fence, alice, update("new", null, order, "AAPL", "buy", "3", "0", null, null, "new")));
    markPendingCancel(order);

    LedgerEntry refused = await(ledger.apply(fence, alice, update("order_cancel_rejected", null, order, "AAPL", "buy",
        "3", "0", null, null, "new")));

    assertThat(refused.order().orElseThrow().status()).isEqualTo(OrderStatus.NEW);
    assertThat(status(order)).isEqualTo("new");
  }

  @Test
  @DisplayName("a partial fill while pending_cancel counts the fill and keeps the order pending_cancel")
  void partialFillWhilePendingCancel() throws Exception {
    String order = UUID.randomUUID().toString();
    await(ledger.apply(fence, alice, update("new", null, order, "AAPL", "buy", "30", "0", null, null, "new")));
    markPendingCancel(order);

    LedgerEntry partial = await(ledger.apply(fence, alice, update("partial_fill", "p-" + order, order, "AAPL", "buy",
        "30", "10", "10", "190.10", "partially_filled")));

    assertThat(partial.trade()).isPresent();
    assertThat(partial.order().orElseThrow().status()).isEqualTo(OrderStatus.PENDING_CANCEL);
    assertThat(partial.order().orElseThrow().filledQty()).isEqualByComparingTo("10");
  }

  /** What the edge's cancel does to an open order: pending_cancel until the broker answers. */
  private void markPendingCancel(String clientOrderId) throws Exception {
    await(pool.preparedQuery("UPDATE orders SET status = 'pending_cancel', version = version + 1 "
        + "WHERE client_order_id = $1").execute(Tuple.of(clientOrderId)));
  }

  private static HeldLease lease(String node, BrokerAccount account, Duration ttl) throws Exception {
    return await(new StreamLeases(pool, node, ttl).acquireOrRenew(LeaseBalancer.leaseName(account.id()))).orElseThrow();
  }

  /** A trade_updates message as Alpaca sends it; {@code fillQty} is the execution's own size. */
  private TradeUpdate update(String event, String executionId, String clientOrderId, String symbol, String side,
      String qty, String filledQty, String fillQty, String price, String status) {
    Instant now = Instant.now();
    JsonObject order = new JsonObject().put("id", "broker-" + clientOrderId).put("client_order_id", clientOrderId)
        .put("symbol", symbol).put("side", side).put("type", "market").put("order_type", "market")
        .put("time_in_force", "day").put("status", status).put("qty", qty).put("filled_qty", filledQty)
        .put("filled_avg_price", price).put("submitted_at", now.toString())
        .put("filled_at", "filled".equals(status) ? now.toString() : null).put("updated_at", now.toString());
    JsonObject data = new JsonObject().put("event", event).put("order", order).put("timestamp", now.toString());
    if (executionId != null) {
      data.put("execution_id", executionId).put("price", price).put("qty", fillQty);
    }
    return (TradeUpdate) AlpacaCodec.parseTradingStream(
        new JsonObject().put("stream", "trade_updates").put("data", data).encode());
  }

  private BigDecimal qty(String symbol) throws Exception {
    return qty(alice, symbol);
  }

  private static BigDecimal qty(BrokerAccount account, String symbol) throws Exception {
    var rows = await(pool.preparedQuery("SELECT qty FROM positions WHERE account_id = $1 AND symbol = $2")
        .execute(Tuple.of(account.id(), symbol)));
    return rows.size() == 0 ? BigDecimal.ZERO : rows.iterator().next().getBigDecimal("qty");
  }

  private String status(String clientOrderId) throws Exception {
    return await(pool.preparedQuery("SELECT status FROM orders WHERE client_order_id = $1")
        .execute(Tuple.of(clientOrderId))).iterator().next().getString("status");
  }

  private long count(String sql, String value) throws Exception {
    return await(pool.preparedQuery(sql).execute(Tuple.of(value))).iterator().next().getLong(0);
  }
}
