package com.portfoliostream.ingest.reconcile;

import static com.portfoliostream.testkit.TestDatabase.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.portfoliostream.ingest.DemoAccounts;
import com.portfoliostream.common.bus.UserEventBus;
import com.portfoliostream.events.model.Order;
import com.portfoliostream.events.model.OrderStatus;
import com.portfoliostream.events.model.Position;
import com.portfoliostream.events.protocol.BusAddresses;
import com.portfoliostream.events.protocol.EventType;
import com.portfoliostream.events.protocol.ServerEvent;
import com.portfoliostream.events.protocol.ServerEvents;
import com.portfoliostream.testkit.TestDatabase;
import com.portfoliostream.ingest.accounts.AccountSnapshots;
import com.portfoliostream.broker.accounts.BrokerAccount;
import com.portfoliostream.broker.alpaca.AlpacaOrder;
import com.portfoliostream.broker.alpaca.AlpacaPosition;
import com.portfoliostream.broker.alpaca.FillActivity;
import com.portfoliostream.broker.alpaca.OrderRequest;
import com.portfoliostream.broker.alpaca.TradingStreamMessage.TradeUpdate;
import com.portfoliostream.broker.rest.AlpacaRestClient;
import com.portfoliostream.ingest.fills.FillLedger;
import com.portfoliostream.ingest.lease.Fence;
import com.portfoliostream.ingest.lease.Fence.LeaseLost;
import com.portfoliostream.ingest.lease.LeaseBalancer;
import com.portfoliostream.ingest.lease.StreamLeases;
import com.portfoliostream.ingest.publish.LedgerPublisher;
import com.portfoliostream.ingest.reconcile.Reconciler.Corrections;
import com.portfoliostream.ingest.stream.Backfill;
import com.portfoliostream.simulator.SimulatorSettings;
import com.portfoliostream.simulator.SimulatorVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The reconciler itself against the real broker simulator and a real PostgreSQL (no ingest running,
 * so nothing but the test and the reconciler touches the account), under a real lease of alice's
 * stream. Before each test our positions are set to the broker's, and our trades to the broker's
 * fills (as if ingest had applied every one).
 */
@DisplayName("The reconciler of balances, open orders and positions with the broker's")
class ReconcilerTest {

  private static final String TEST_ORDER_PREFIX = "reconciler-test-";
  private static TestDatabase db;
  private static Vertx vertx;
  private static Vertx simVertx;
  private static Pool pool;
  private static SimulatorVerticle simulator;
  private static AlpacaRestClient rest;
  private static BrokerAccount alice;
  private Reconciler reconciler;
  private FillLedger ledger;
  private LedgerPublisher publisher;
  private Fence fence;
  private final List<ServerEvent> published = new CopyOnWriteArrayList<>();
  private MessageConsumer<String> consumer;

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabase.start();
    vertx = Vertx.vertx();
    pool = db.pool(vertx);
    db.seedDemo(vertx, pool);
    simVertx = Vertx.vertx();
    simulator = new SimulatorVerticle(SimulatorSettings.manualMarket(100_000));
    simVertx.deployVerticle(simulator).await(30, TimeUnit.SECONDS);
    rest = new AlpacaRestClient(vertx, URI.create("http://127.0.0.1:" + simulator.actualPort()), Duration.ofSeconds(10));
    alice = DemoAccounts.account(pool, db.cipher(), "alice");
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
    await(simVertx.close());
    db.close();
  }

  @BeforeEach
  void brokerTruthHere() throws Exception {
    sql("DELETE FROM trades WHERE account_id = $1", alice.id());
    sql("DELETE FROM orders WHERE account_id = $1", alice.id());
    resetPositionsToBroker();
    allBrokerFillsKnown();
    Clock clock = Clock.fixed(Instant.parse("2026-11-22T15:00:00Z"), ZoneOffset.UTC);
    publisher = new LedgerPublisher(vertx, clock);
    reconciler = new Reconciler(pool, rest, new AccountSnapshots(pool), publisher, new Backfill(pool, rest), clock);
    ledger = new FillLedger(pool);
    sql("DELETE FROM stream_leases");
    fence = await(new StreamLeases(pool, "reconciler-test", Duration.ofSeconds(60))
        .acquireOrRenew(LeaseBalancer.leaseName(alice.id()))).orElseThrow().fence();
    consumer = vertx.eventBus().consumer(BusAddresses.user(alice.userId().toString()),
        m -> published.add(UserEventBus.decode(m.body())));
    await(consumer.completion());
  }

  @AfterEach
  void unlisten() throws Exception {
    await(consumer.unregister());
  }

  @Test
  @DisplayName("positions that agree with the broker's are left alone: nothing corrected, no position published")
  void agreementChangesNothing() throws Exception {
    long versions = versionSum();

    assertThat(reconcile().positions()).isZero();

    assertThat(versionSum()).isEqualTo(versions);
    assertThat(positionsPublished()).isEmpty();
  }

  @Test
  @DisplayName("a quantity that differs from the broker's is replaced by it, with a new version, and published")
  void wrongQuantityCorrected() throws Exception {
    sql("UPDATE positions SET qty = 7 WHERE account_id = $1 AND symbol = 'TSLA'", alice.id());
    long version = row("TSLA").getLong("version");

    assertThat(reconcile().positions()).isEqualTo(1);

    assertThat(row("TSLA").getBigDecimal("qty")).isEqualByComparingTo(brokerQty("TSLA"));
    assertThat(row("TSLA").getLong("version")).isGreaterThan(version);
    assertThat(positionsPublished()).singleElement().satisfies(p -> {
      assertThat(p.symbol()).isEqualTo("TSLA");
      assertThat(p.quantity()).isEqualByComparingTo(brokerQty("TSLA"));
    });
  }

  @Test
  @DisplayName("a position held here that the broker does not have is closed here (quantity zero) and published")
  void positionOnlyHereClosed() throws Exception {
    sql("INSERT INTO positions (account_id, user_id, symbol, qty, side, avg_entry_price) VALUES ($1, $2, 'IBM', 5, "
        + "'long', 190)", alice.id(), alice.userId());

    assertThat(reconcile().positions()).isEqualTo(1);

    assertThat(row("IBM").getBigDecimal("qty")).isZero();
    assertThat(positionsPublished()).extracting(Position::symbol).containsExactly("IBM");
  }

  @Test
  @DisplayName("a position the broker has and we lack is created here from the broker's")
  void positionOnlyAtBrokerCreated() throws Exception {
    sql("DELETE FROM positions WHERE account_id = $1 AND symbol = 'NVDA'", alice.id());

    assertThat(reconcile().positions()).isEqualTo(1);

    Row nvda = row("NVDA");
    assertThat(nvda.getBigDecimal("qty")).isEqualByComparingTo(brokerQty("NVDA"));
    assertThat(nvda.getString("side")).isEqualTo("long");
  }

  @Test
  @DisplayName("a side that differs from the broker's is corrected")
  void wrongSideCorrected() throws Exception {
    sql("UPDATE positions SET side = 'short' WHERE account_id = $1 AND symbol = 'MSFT'", alice.id());

    assertThat(reconcile().positions()).isEqualTo(1);

    assertThat(row("MSFT").getString("side")).isEqualTo("long");
  }

  @Test
  @DisplayName("an average entry price within 0.0001 of the broker's agrees (brokers round differently)")
  void priceWithinToleranceAgrees() throws Exception {
    sql("UPDATE positions SET avg_entry_price = avg_entry_price + 0.0001 WHERE account_id = $1 AND symbol = 'AAPL'",
        alice.id());

    assertThat(reconcile().positions()).isZero();
  }

  @Test
  @DisplayName("an average entry price further than 0.0001 from the broker's is corrected")
  void priceBeyondToleranceCorrected() throws Exception {
    sql("UPDATE positions SET avg_entry_price = avg_entry_price + 0.0002 WHERE account_id = $1 AND symbol = 'AAPL'",
        alice.id());

    assertThat(reconcile().positions()).isEqualTo(1);

    assertThat(row("AAPL").getBigDecimal("avg_entry_price")).isEqualByComparingTo(brokerPosition("AAPL").avgEntryPrice());
  }

  @Test
  @DisplayName("while the broker counts a fill not applied here yet, positions are left for the next round")
  void fillInFlightSkipsPositions() throws Exception {
    knownTrade("exec-applied-earlier", Instant.now().minusSeconds(10));
    brokerFill("GOOGL", "3");
    sql("UPDATE positions SET qty = 1 WHERE account_id = $1 AND symbol = 'TSLA'", alice.id());

    assertThat(reconcile().positions()).isZero();

    assertThat(row("TSLA").getBigDecimal("qty")).isEqualByComparingTo("1");
    assertThat(positionsPublished()).isEmpty();
  }

  @Test
  @DisplayName("once every broker fill is applied here, positions are reconciled again")
  void allFillsKnownReconciles() throws Exception {
    brokerFill("GOOGL", "2");
    resetPositionsToBroker();
    allBrokerFillsKnown();
    sql("UPDATE positions SET qty = 1 WHERE account_id = $1 AND symbol = 'TSLA'", alice.id());

    assertThat(reconcile().positions()).isEqualTo(1);

    assertThat(row("TSLA").getBigDecimal("qty")).isEqualByComparingTo(brokerQty("TSLA"));
  }

  @Test
  @DisplayName("an account's first fill, not yet applied here (no trade here at all), is not corrected into the position and then counted again by the stream")
  void firstFillNotCountedTwice() throws Exception {
    BigDecimal before = row("GOOGL").getBigDecimal("qty");
    String orderId = brokerFill("GOOGL", "3");
    sql("DELETE FROM trades WHERE account_id = $1", alice.id());

    assertThat(reconcile().positions()).isZero();
    assertThat(row("GOOGL").getBigDecimal("qty")).isEqualByComparingTo(before);
    FillActivity fill = await(rest.fills(alice.credentials(), Instant.now().minus(Duration.ofHours(1)), null)).stream()
        .filter(f -> f.orderId().equals(orderId)).findFirst().orElseThrow();
    AlpacaOrder order = await(rest.order(alice.credentials(), orderId));
    await(ledger.apply(fence, alice, new TradeUpdate("fill", fill.executionId(), order, fill.price(), fill.qty(), null,
        fill.transactionTime())));

    assertThat(row("GOOGL").getBigDecimal("qty")).as("the stream's fill, once").isEqualByComparingTo(brokerQty("GOOGL"));
  }

  @Test
  @DisplayName("an open order whose fill was missed here is corrected: the fill applied with its trade and position, the order filled, both published")
  void missedFillCorrected() throws Exception {
    String orderId = brokerFill("AAPL", "4");
    AlpacaOrder broker = await(rest.order(alice.credentials(), orderId));
    String clientOrderId = ourOpenOrder(broker, "new");
    BigDecimal before = row("AAPL").getBigDecimal("qty");

    Corrections corrections = reconcile();

    assertThat(corrections.orders()).isEqualTo(1);
    assertThat(corrections.positions()).as("the position moved with the fill, nothing left to correct").isZero();
    Row order = order(clientOrderId);
    assertThat(order.getString("status")).isEqualTo("filled");
    assertThat(order.getBigDecimal("filled_qty")).isEqualByComparingTo("4");
    assertThat(order.getBigDecimal("filled_avg_price")).isEqualByComparingTo(broker.filledAvgPrice());
    assertThat(row("AAPL").getBigDecimal("qty")).isEqualByComparingTo(before.add(new BigDecimal("4")))
        .isEqualByComparingTo(brokerQty("AAPL"));
    assertThat(await(pool.preparedQuery("SELECT count(*) FROM trades t JOIN orders o ON o.id = t.order_id "
        + "WHERE o.client_order_id = $1").execute(Tuple.of(clientOrderId))).iterator().next().getLong(0)).isEqualTo(1);
    assertThat(published(EventType.ORDER_UPDATE)).map(e -> (Order) e.data())
        .anySatisfy(o -> assertThat(o.status()).isEqualTo(OrderStatus.FILLED));
    assertThat(published(EventType.TRADE_EXECUTED)).hasSize(1);
  }

  @Test
  @DisplayName("fills missed on several orders are applied in broker order, not order by order: the position's path, average entry and realized P&L are the broker's")
  void missedFillsInBrokerOrder() throws Exception {
    String opened = brokerTrade("META", "buy", "100.00");
    String closed = brokerTrade("META", "sell", "110.00");
    String reopened = brokerTrade("META", "buy", "120.00");
    // Ours, the newest first: applied one order after another, the reopening buy would come first.
    for (String id : List.of(reopened, opened, closed)) {
      ourOpenOrder(await(rest.order(alice.credentials(), id)), "new");
    }

    Corrections corrections = reconcile();

    assertThat(corrections.orders()).isEqualTo(3);
    assertThat(corrections.positions()).as("positions the ledger got wrong").isZero();
    assertThat(row("META").getBigDecimal("qty")).isEqualByComparingTo("4");
    assertThat(row("META").getBigDecimal("avg_entry_price")).isEqualByComparingTo("120.00");
    assertThat(await(pool.preparedQuery("SELECT t.realized_pnl FROM trades t JOIN orders o ON o.id = t.order_id "
        + "WHERE o.broker_order_id = $1").execute(Tuple.of(closed))).iterator().next().getBigDecimal(0))
        .as("realized by the sale of 4 bought at 100").isEqualByComparingTo("40.00");
  }

  /** A market order of 4 shares filled at the broker at {@code price}; its broker id. */
  private String brokerTrade(String symbol, String side, String price) throws Exception {
    await(simulator.setPrice(symbol, new BigDecimal(price)));
    BigDecimal before = brokerSignedQty(symbol);
    String id = await(rest.submitOrder(alice.credentials(), new OrderRequest(symbol, new BigDecimal("4"), side,
        "market", "day", null, null, UUID.randomUUID().toString()))).id();
    BigDecimal expected = before.add(new BigDecimal(side.equals("buy") ? "4" : "-4"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (brokerSignedQty(symbol).compareTo(expected) != 0) {
      assertThat(System.nanoTime()).as("the broker filled the order").isLessThan(deadline);
      Thread.sleep(20);
    }
    return id;
  }

  private static BigDecimal brokerSignedQty(String symbol) throws Exception {
    return await(rest.positions(alice.credentials())).stream().filter(p -> p.symbol().equals(symbol)).findFirst()
        .map(p -> p.side().equals("short") ? p.absoluteQty().negate() : p.absoluteQty()).orElse(BigDecimal.ZERO);
  }

  @Test
  @DisplayName("an order canceled at the broker while we missed the event is corrected to canceled and published")
  void missedCancelCorrected() throws Exception {
    AlpacaOrder working = restingOrder();
    String clientOrderId = ourOpenOrder(working, "new");
    await(rest.cancelOrder(alice.credentials(), working.id()));
    awaitBrokerStatus(working.id(), "canceled");

    assertThat(reconcile().orders()).isEqualTo(1);

    assertThat(order(clientOrderId).getString("status")).isEqualTo("canceled");
    assertThat(published(EventType.ORDER_UPDATE)).map(e -> (Order) e.data())
        .singleElement().satisfies(o -> assertThat(o.status()).isEqualTo(OrderStatus.CANCELED));
  }

  @Test
  @DisplayName("our pending_cancel is not taken back by a broker that still says new (the cancel is on its way)")
  void pendingCancelKept() throws Exception {
    String clientOrderId = ourOpenOrder(restingOrder(), "pending_cancel");

    assertThat(reconcile().orders()).isZero();

    assertThat(order(clientOrderId).getString("status")).isEqualTo("pending_cancel");
    assertThat(published(EventType.ORDER_UPDATE)).isEmpty();
  }

  @Test
  @DisplayName("open orders that agree with the broker's are left alone")
  void agreeingOrdersLeftAlone() throws Exception {
    AlpacaOrder working = restingOrder();
    String clientOrderId = ourOpenOrder(working, working.status());
    long version = order(clientOrderId).getLong("version");

    assertThat(reconcile().orders()).isZero();

    assertThat(order(clientOrderId).getLong("version")).isEqualTo(version);
  }

  @Test
  @DisplayName("corrections under a lease another node holds now are refused whole: nothing written")
  void staleLeaseWritesNothing() throws Exception {
    StreamLeases mine = new StreamLeases(pool, "reconciler-test", Duration.ofSeconds(60));
    await(mine.release(fence));
    await(new StreamLeases(pool, "new-owner", Duration.ofSeconds(60)).acquireOrRenew(fence.stream())).orElseThrow();
    sql("UPDATE positions SET qty = 7 WHERE account_id = $1 AND symbol = 'TSLA'", alice.id());
    long versions = versionSum();

    assertThatThrownBy(() -> await(reconciler.reconcile(fence, alice, update -> ledger.apply(fence, alice, update))))
        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(LeaseLost.class);

    assertThat(row("TSLA").getBigDecimal("qty")).isEqualByComparingTo("7");
    assertThat(versionSum()).isEqualTo(versions);
  }

  // --- helpers

  private Corrections reconcile() throws Exception {
    return await(reconciler.reconcile(fence, alice, update -> ledger.apply(fence, alice, update)
        .onSuccess(publisher::publish)));
  }

  /** Every fill the broker holds, recorded here as a trade. */
  private void allBrokerFillsKnown() throws Exception {
    for (FillActivity fill : await(rest.fills(alice.credentials(), Instant.now().minus(Duration.ofHours(1)), null))) {
      knownTrade(fill.executionId(), fill.transactionTime());
    }
  }

  /** A buy limit order far below the market, working at the broker. */
  private static AlpacaOrder restingOrder() throws Exception {
    String placed = await(rest.submitOrder(alice.credentials(), new OrderRequest("MSFT", BigDecimal.ONE, "buy", "limit",
        "gtc", new BigDecimal("1.00"), null, UUID.randomUUID().toString()))).id();
    return awaitBrokerStatus(placed, "new");
  }

  private static AlpacaOrder awaitBrokerStatus(String orderId, String status) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    AlpacaOrder order = await(rest.order(alice.credentials(), orderId));
    while (!order.status().equals(status)) {
      assertThat(System.nanoTime()).as("the broker's order %s", status).isLessThan(deadline);
      Thread.sleep(20);
      order = await(rest.order(alice.credentials(), orderId));
    }
    return order;
  }

  /** Our row of a broker order, as the order queue left it: the broker's id, {@code status}, nothing filled. */
  private String ourOpenOrder(AlpacaOrder broker, String status) throws Exception {
    sql("INSERT INTO orders (account_id, user_id, client_order_id, broker_order_id, symbol, side, type, time_in_force, "
        + "qty, limit_price, status, submitted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now())",
        alice.id(), alice.userId(), broker.clientOrderId(), broker.id(), broker.symbol(), broker.side(), broker.type(),
        broker.timeInForce(), broker.qty(), broker.limitPrice(), status);
    return broker.clientOrderId();
  }

  private static Row order(String clientOrderId) throws Exception {
    return await(pool.preparedQuery("SELECT status, filled_qty, filled_avg_price, version FROM orders "
        + "WHERE client_order_id = $1").execute(Tuple.of(clientOrderId))).iterator().next();
  }

  private static void resetPositionsToBroker() throws Exception {
    sql("DELETE FROM positions WHERE account_id = $1", alice.id());
    for (AlpacaPosition p : await(rest.positions(alice.credentials()))) {
      sql("INSERT INTO positions (account_id, user_id, symbol, qty, side, avg_entry_price, current_price) "
          + "VALUES ($1, $2, $3, $4, $5, $6, $7)", alice.id(), alice.userId(), p.symbol(), p.absoluteQty(), p.side(),
          p.avgEntryPrice(), p.currentPrice());
    }
  }

  /** The positions published until now. */
  private List<Position> positionsPublished() throws Exception {
    return published(EventType.POSITION_UPDATE).stream().map(e -> (Position) e.data()).toList();
  }

  /** The events of {@code type} published until now: a marker published after them on the same address arrives last. */
  private List<ServerEvent> published(EventType type) throws Exception {
    ServerEvent marker = ServerEvents.pong(alice.userId().toString(), Instant.now());
    UserEventBus.publish(vertx, marker, UserEventBus.Meta.of(Instant.now()));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (published.stream().noneMatch(e -> e.type() == EventType.PONG)) {
      assertThat(System.nanoTime()).as("marker delivered").isLessThan(deadline);
      Thread.sleep(10);
    }
    return published.stream().takeWhile(e -> e.type() != EventType.PONG).filter(e -> e.type() == type).toList();
  }

  /** A market buy at the broker, filled there (and, no ingest running, not here); answers the broker's order id. */
  private static String brokerFill(String symbol, String qty) throws Exception {
    BigDecimal expected = brokerQty(symbol).add(new BigDecimal(qty));
    String id = await(rest.submitOrder(alice.credentials(), new OrderRequest(symbol, new BigDecimal(qty), "buy",
        "market", "day", null, null, UUID.randomUUID().toString()))).id();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (brokerQty(symbol).compareTo(expected) != 0) {
      assertThat(System.nanoTime()).as("the broker filled the order").isLessThan(deadline);
      Thread.sleep(20);
    }
    return id;
  }

  /** A trade recorded here (with an order of its own, for the foreign key), unless it is already. */
  private void knownTrade(String executionId, Instant at) throws Exception {
    UUID order = await(pool.preparedQuery("INSERT INTO orders (account_id, user_id, client_order_id, symbol, side, "
        + "type, time_in_force, qty) VALUES ($1, $2, $3, 'AAPL', 'buy', 'market', 'day', 1) RETURNING id")
        .execute(Tuple.of(alice.id(), alice.userId(), TEST_ORDER_PREFIX + UUID.randomUUID()))).iterator().next()
        .getUUID("id");
    sql("INSERT INTO trades (account_id, user_id, order_id, execution_id, symbol, side, qty, price, executed_at) "
        + "VALUES ($1, $2, $3, $4, 'AAPL', 'buy', 1, 100, $5) ON CONFLICT (account_id, execution_id) DO NOTHING", alice.id(), alice.userId(), order, executionId,
        at.atOffset(ZoneOffset.UTC));
  }

  private static AlpacaPosition brokerPosition(String symbol) throws Exception {
    return await(rest.positions(alice.credentials())).stream().filter(p -> p.symbol().equals(symbol)).findFirst()
        .orElseThrow();
  }

  private static BigDecimal brokerQty(String symbol) throws Exception {
    return await(rest.positions(alice.credentials())).stream().filter(p -> p.symbol().equals(symbol)).findFirst()
        .map(AlpacaPosition::absoluteQty).orElse(BigDecimal.ZERO);
  }

  private static Row row(String symbol) throws Exception {
    return await(pool.preparedQuery("SELECT qty, side, avg_entry_price, version FROM positions "
        + "WHERE account_id = $1 AND symbol = $2").execute(Tuple.of(alice.id(), symbol))).iterator().next();
  }

  private static long versionSum() throws Exception {
    return await(pool.preparedQuery("SELECT coalesce(sum(version), 0) FROM positions WHERE account_id = $1")
        .execute(Tuple.of(alice.id()))).iterator().next().getLong(0);
  }

  private static void sql(String sql, Object... params) throws Exception {
    await(pool.preparedQuery(sql).execute(Tuple.from(params)));
  }
}
