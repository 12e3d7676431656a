package com.portfoliostream.ingest;

import static com.portfoliostream.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.testkit.TestDatabase;
import com.portfoliostream.broker.accounts.BrokerAccount;
import com.portfoliostream.broker.alpaca.OrderRequest;
import com.portfoliostream.common.metrics.MetricNames;
import com.portfoliostream.events.model.Account;
import com.portfoliostream.events.model.Order;
import com.portfoliostream.events.model.OrderStatus;
import com.portfoliostream.events.model.Position;
import com.portfoliostream.events.model.Trade;
import com.portfoliostream.events.protocol.EventType;
import com.portfoliostream.events.protocol.InfoCode;
import com.portfoliostream.events.protocol.InfoPayload;
import com.portfoliostream.events.protocol.ServerEvent;
import com.portfoliostream.ingest.stream.StreamState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Ingest against the broker simulator over the real Alpaca protocol: REST orders at the broker,
 * their fills through the trading stream (and the backfill when the stream is cut), prices through
 * market data, reconciliation, all the way to PostgreSQL and the owner's bus address.
 */
@DisplayName("Ingest against the broker simulator")
class IngestEndToEndTest {

  private static final Duration WITHIN = Duration.ofSeconds(20);
  private static IngestHarness harness;
  private static BrokerAccount alice;
  private static BrokerAccount bob;

  @BeforeAll
  static void start() throws Exception {
    harness = IngestHarness.start(1, Map.of("RECONCILE_INTERVAL_SECONDS", "5", "MARKET_DATA_STALE_SECONDS", "2"));
    alice = harness.account("alice");
    bob = harness.account("bob");
  }

  @AfterAll
  static void stop() throws Exception {
    harness.close();
  }

  @Test
  @DisplayName("a market order filled at the broker reaches the database and only its owner's address: order, trade, position, account")
  void fillEndToEnd() throws Exception {
    List<ServerEvent> aliceEvents = harness.listen(alice.userId());
    List<ServerEvent> bobEvents = harness.listen(bob.userId());

    submit(alice, "AAPL", "10", "buy");

    eventually(WITHIN, "filled order, trade, position and account for alice", () ->
        has(aliceEvents, EventType.ORDER_UPDATE, e -> ((Order) e.data()).status() == OrderStatus.FILLED
            && ((Order) e.data()).symbol().equals("AAPL"))
            && has(aliceEvents, EventType.TRADE_EXECUTED, e -> ((Trade) e.data()).symbol().equals("AAPL"))
            && has(aliceEvents, EventType.POSITION_UPDATE, e -> ((Position) e.data()).symbol().equals("AAPL")
                && ((Position) e.data()).quantity().compareTo(new BigDecimal("110")) == 0)
            && has(aliceEvents, EventType.ACCOUNT_UPDATE, e -> true));
    assertThat(bobEvents).noneMatch(e -> e.type() != EventType.INFO);
    assertThat(aliceEvents).allMatch(e -> e.userId().equals(alice.userId().toString()));
    Account account = (Account) aliceEvents.stream().filter(e -> e.type() == EventType.ACCOUNT_UPDATE)
        .reduce((a, b) -> b).orElseThrow().data();
    JsonObject brokerAccount = harness.simulator.account(alice.credentials().keyId()).await(10, TimeUnit.SECONDS);
    assertThat(account.cash()).isEqualByComparingTo(brokerAccount.getString("cash"));
  }

  @Test
  @DisplayName("a trading stream cut in the middle of a burst of fills: after the backfill the database equals the broker, no fill lost or doubled")
  void cutMidBurst() throws Exception {
    for (int i = 0; i < 30; i++) {
      submit(alice, i % 3 == 0 ? "GOOGL" : "MSFT", Integer.toString(1 + i % 4), i % 5 == 4 ? "sell" : "buy");
      if (i == 10) {
        harness.simulator.dropTradingStreams(alice.credentials().keyId()).await(10, TimeUnit.SECONDS);
      }
    }

    eventually(WITHIN, "every broker fill recorded once", () -> executions(alice).equals(brokerExecutions(alice)));
    assertThat(count("SELECT count(*) FROM trades WHERE account_id = $1", alice))
        .isEqualTo(brokerExecutions(alice).size());
    eventually(WITHIN, "positions equal the broker's", () -> positions(alice).equals(brokerPositions(alice)));
    assertThat(count("SELECT count(*) FROM orders WHERE account_id = $1 AND status <> 'filled' "
        + "AND symbol IN ('GOOGL', 'MSFT')", alice)).isZero();
  }

  @Test
  @DisplayName("a trade price revalues the holders' positions and accounts, exactly")
  void priceTick() throws Exception {
    List<ServerEvent> events = harness.listen(alice.userId());

    eventually(WITHIN, "NVDA at 510.00 with 750.00 unrealized on 25 @ 480", () -> {
      price("NVDA", "510.00");
      return has(events, EventType.POSITION_UPDATE, e -> {
        Position p = (Position) e.data();
        return p.symbol().equals("NVDA") && p.currentPrice().compareTo(new BigDecimal("510.00")) == 0
            && p.unrealizedPnl().compareTo(new BigDecimal("750.00")) == 0
            && p.marketValue().compareTo(new BigDecimal("12750.00")) == 0;
      });
    });
    eventually(WITHIN, "an account update after the price", () -> has(events, EventType.ACCOUNT_UPDATE, e -> true));
  }

  @Test
  @DisplayName("reconciliation puts back a position the database got wrong, and publishes it")
  void reconcile() throws Exception {
    List<ServerEvent> events = harness.listen(alice.userId());
    TestDatabase.await(harness.pool.preparedQuery(
        "UPDATE positions SET qty = 7, version = version + 1 WHERE account_id = $1 AND symbol = 'TSLA'")
        .execute(Tuple.of(alice.id())));

    eventually(Duration.ofSeconds(30), "TSLA back to 50", () -> has(events, EventType.POSITION_UPDATE, e ->
        ((Position) e.data()).symbol().equals("TSLA") && ((Position) e.data()).quantity().compareTo(new BigDecimal("50")) == 0));
    assertThat(positions(alice).get("TSLA")).isEqualTo("long 50");
  }

  @Test
  @DisplayName("silence in market data tells users DATA_STALE, and the next trade DATA_RESUMED")
  void staleData() throws Exception {
    List<ServerEvent> events = harness.listen(bob.userId());
    price("AMZN", "181.00");

    eventually(WITHIN, "DATA_STALE", () -> has(events, EventType.INFO,
        e -> ((InfoPayload) e.data()).code() == InfoCode.DATA_STALE));
    eventually(WITHIN, "DATA_RESUMED", () -> {
      price("AMZN", "182.00");
      return has(events, EventType.INFO, e -> ((InfoPayload) e.data()).code() == InfoCode.DATA_RESUMED);
    });
  }

  @Test
  @DisplayName("credentials the broker refuses stop that account's stream for good, and the others stream on")
  void refusedCredentials() throws Exception {
    UUID user = TestDatabase.await(harness.pool.preparedQuery("INSERT INTO users (username, password_hash, role) "
        + "VALUES ('mallory', '$none', 'trader') RETURNING id").execute()).iterator().next().getUUID("id");
    UUID account = UUID.randomUUID();
    TestDatabase.await(harness.pool.preparedQuery("INSERT INTO broker_accounts (id, user_id, environment, api_key_id, "
        + "api_secret_cipher) VALUES ($1, $2, 'simulator', 'PKUNKNOWN0000000001', $3)")
        .execute(Tuple.of(account, user, io.vertx.core.buffer.Buffer.buffer(
            harness.db.cipher().encrypt("wrong-secret", account.toString())))));

    eventually(Duration.ofSeconds(30), "mallory's stream refused",
        () -> ingest().streams().get(account) == StreamState.AUTH_FAILED);
    assertThat(ingest().streams().get(alice.id())).isEqualTo(StreamState.LISTENING);
  }

  @Test
  @DisplayName("events without fills (stopped, suspended, pending_cancel, canceled, order_cancel_rejected) move only the order's status")
  void eventsWithoutFills() throws Exception {
    String clientOrderId = UUID.randomUUID().toString();
    String brokerId = harness.broker.submitOrder(bob.credentials(), new OrderRequest("AMZN", BigDecimal.ONE, "buy",
        "limit", "gtc", new BigDecimal("1.00"), null, clientOrderId)).await(10, TimeUnit.SECONDS).id();
    String key = bob.credentials().keyId();
    eventually(WITHIN, "the order new", () -> "new".equals(status(clientOrderId)));

    for (String event : new String[] {"stopped", "suspended"}) {
      harness.simulator.exchangeEvent(key, brokerId, event).await(10, TimeUnit.SECONDS);
      eventually(WITHIN, "the order " + event, () -> event.equals(status(clientOrderId)));
    }
    harness.broker.cancelOrder(bob.credentials(), brokerId).await(10, TimeUnit.SECONDS);
    eventually(WITHIN, "the order canceled", () -> "canceled".equals(status(clientOrderId)));
    long version = version(clientOrderId);
    Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() -> harness.broker
        .cancelOrder(bob.credentials(), brokerId).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
    assertThat(refused).hasCauseInstanceOf(com.portfoliostream.broker.rest.AlpacaApiException.class);
    assertThat(((com.portfoliostream.broker.rest.AlpacaApiException) refused.getCause()).status()).isEqualTo(422);
    // A later event on bob's stream, applied after the refusal's: by then the refusal was handled.
    String marker = UUID.randomUUID().toString();
    harness.broker.submitOrder(bob.credentials(), new OrderRequest("AMZN", BigDecimal.ONE, "buy", "limit", "gtc",
        new BigDecimal("1.00"), null, marker)).await(10, TimeUnit.SECONDS);
    eventually(WITHIN, "a later order of bob's applied", () -> "new".equals(status(marker)));

    assertThat(version(clientOrderId)).as("order_cancel_rejected changes nothing").isEqualTo(version);
    assertThat(count("SELECT count(*) FROM trades t JOIN orders o ON o.id = t.order_id WHERE o.account_id = $1 "
        + "AND o.symbol = 'AMZN' AND o.limit_price = 1.00", bob)).isZero();
  }

  @Test
  @DisplayName("a trade update priced 1e999999999 is dropped and counted as poison; the same stream applies the next fill")
  void poisonEvent() throws Exception {
    eventually(WITHIN, "alice's stream listening", () -> ingest().streams().get(alice.id()) == StreamState.LISTENING);
    double before = poisonCount();
    String poisonExecution = UUID.randomUUID().toString();
    JsonObject order = new JsonObject().put("id", UUID.randomUUID().toString())
        .put("client_order_id", UUID.randomUUID().toString()).put("symbol", "AAPL").put("side", "buy")
        .put("type", "market").put("time_in_force", "day").put("status", "filled").put("qty", "1")
        .put("filled_qty", "1").put("filled_avg_price", "1e999999999").put("submitted_at", "2024-01-02T15:00:00Z");
    JsonObject poison = new JsonObject().put("stream", "trade_updates").put("data", new JsonObject().put("event", "fill")
        .put("execution_id", poisonExecution).put("order", order).put("price", "1e999999999").put("qty", "1")
        .put("position_qty", "1").put("timestamp", "2024-01-02T15:00:00Z"));

    harness.simulator.sendTradeUpdate(alice.credentials().keyId(), poison).await(10, TimeUnit.SECONDS);
    String marker = UUID.randomUUID().toString();
    harness.broker.submitOrder(alice.credentials(), new OrderRequest("AAPL", BigDecimal.ONE, "buy", "market", "day",
        null, null, marker)).await(10, TimeUnit.SECONDS);

    eventually(WITHIN, "the next order of alice's filled", () -> "filled".equals(status(marker)));
    assertThat(poisonCount()).as("the poison event counted").isEqualTo(before + 1);
    assertThat(TestDatabase.await(harness.pool.preparedQuery("SELECT count(*) FROM trades WHERE execution_id = $1")
        .execute(Tuple.of(poisonExecution))).iterator().next().getLong(0)).isZero();
    assertThat(status(order.getString("client_order_id"))).as("the poisoned order never reached the database").isNull();
  }

  private static double poisonCount() {
    return harness.contexts.get(0).metrics().get(MetricNames.BROKER_MESSAGES_POISON)
        .tag(MetricNames.TAG_STREAM, MetricNames.STREAM_TRADING).counter().count();
  }

  private static String status(String clientOrderId) {
    try {
      var rows = TestDatabase.await(harness.pool.preparedQuery("SELECT status FROM orders WHERE client_order_id = $1")
          .execute(Tuple.of(clientOrderId)));
      return rows.size() == 0 ? null : rows.iterator().next().getString(0);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static long version(String clientOrderId) throws Exception {
    return TestDatabase.await(harness.pool.preparedQuery("SELECT version FROM orders WHERE client_order_id = $1")
        .execute(Tuple.of(clientOrderId))).iterator().next().getLong(0);
  }

  private static IngestVerticle ingest() {
    return harness.verticles.get(0);
  }

  private static void submit(BrokerAccount account, String symbol, String qty, String side) throws Exception {
    harness.broker.submitOrder(account.credentials(), new OrderRequest(symbol, new BigDecimal(qty), side, "market",
        "day", null, null, UUID.randomUUID().toString())).await(10, TimeUnit.SECONDS);
  }

  private static void price(String symbol, String price) {
    harness.simulator.setPrice(symbol, new BigDecimal(price));
  }

  private static boolean has(List<ServerEvent> events, EventType type, java.util.function.Predicate<ServerEvent> test) {
    return events.stream().anyMatch(e -> e.type() == type && test.test(e));
  }

  private static Set<String> executions(BrokerAccount account) {
    try {
      Set<String> ids = new HashSet<>();
      TestDatabase.await(harness.pool.preparedQuery("SELECT execution_id FROM trades WHERE account_id = $1")
          .execute(Tuple.of(account.id()))).forEach(r -> ids.add(r.getString(0)));
      return ids;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Set<String> brokerExecutions(BrokerAccount account) {
    try {
      JsonArray fills = harness.simulator.fills(account.credentials().keyId()).await(10, TimeUnit.SECONDS);
      Set<String> ids = new HashSet<>();
      fills.forEach(f -> {
        String id = ((JsonObject) f).getString("id");
        ids.add(id.substring(id.indexOf("::") + 2));
      });
      return ids;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** symbol → "side qty" of the open positions. */
  private static Map<String, String> positions(BrokerAccount account) {
    try {
      Map<String, String> positions = new HashMap<>();
      for (Row r : TestDatabase.await(harness.pool.preparedQuery(
          "SELECT symbol, side, qty FROM positions WHERE account_id = $1 AND qty > 0").execute(Tuple.of(account.id())))) {
        positions.put(r.getString("symbol"), r.getString("side") + " " + r.getBigDecimal("qty").stripTrailingZeros().toPlainString());
      }
      return positions;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> brokerPositions(BrokerAccount account) {
    try {
      Map<String, String> positions = new HashMap<>();
      harness.simulator.positions(account.credentials().keyId()).await(10, TimeUnit.SECONDS).forEach(p -> {
        JsonObject position = (JsonObject) p;
        BigDecimal qty = new BigDecimal(position.getString("qty")).abs();
        if (qty.signum() > 0) {
          positions.put(position.getString("symbol"), position.getString("side") + " "
              + qty.stripTrailingZeros().toPlainString());
        }
      });
      return positions;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static long count(String sql, BrokerAccount account) throws Exception {
    return TestDatabase.await(harness.pool.preparedQuery(sql).execute(Tuple.of(account.id()))).iterator().next().getLong(0);
  }
}
