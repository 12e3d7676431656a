package com.portfoliostream.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.common.config.ConfigLoader;
import com.portfoliostream.common.db.Database;
import com.portfoliostream.common.db.PgPools;
import com.portfoliostream.demo.DemoPortfolio;
import com.portfoliostream.simulator.SimulatorSettings;
import com.portfoliostream.simulator.SimulatorVerticle;
import com.portfoliostream.testkit.Eventually;
import com.portfoliostream.testkit.FreePorts;
import com.portfoliostream.testkit.NodeProcess;
import com.portfoliostream.testkit.PostgresServer;
import com.portfoliostream.testkit.ProcessCluster;
import com.portfoliostream.testkit.TestClient;
import com.portfoliostream.testkit.TestSocket;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An edge and a broker node (ingest and orders) in their own JVMs, alice trading through the edge
 * every 200 ms with a socket open, and the broker filling her orders bit by bit. PostgreSQL is
 * stopped ({@code pg_ctl stop -m fast}) for 30 s, orders still placed at the broker meanwhile, and
 * started again: the outage is a state the nodes live through, not a crash.
 */
@DisplayName("PostgreSQL stopped for 30 s under load, then started")
class DatabaseRestartTest {

  private static final Logger LOG = LoggerFactory.getLogger(DatabaseRestartTest.class);
  private static final Duration OUTAGE = Duration.ofSeconds(30);
  private static final Duration WITHIN = Duration.ofSeconds(60);
  private static final String PASSWORD = "restart-test";
  private static final DemoPortfolio.BrokerAccount ALICE = DemoPortfolio.USERS.get(0).account().orElseThrow();

  @TempDir Path dataDir;

  /** What one POST /api/orders was answered. */
  record Answer(String orderId, int status, String code, String retryAfter, long at) {}

  @Test
  @DisplayName("readiness down naming the database, orders 503 with Retry-After (never 500), the socket open through DATA_STALE and DATA_RESUMED, every accepted order at the broker once, every fill in the database once, no restart")
  void restart() throws Exception {
    Vertx vertx = Vertx.vertx();
    SimulatorVerticle simulator = new SimulatorVerticle(SimulatorSettings.manualMarket(100_000));
    vertx.deployVerticle(simulator).await(30, TimeUnit.SECONDS);
    int port = FreePorts.free();
    int management = FreePorts.free();
    try (Database database = Database.open(ConfigLoader.load(Map.of("DATA_DIR", dataDir.toString())));
         ProcessCluster nodes = nodes(database, simulator.actualPort())) {
      NodeProcess edge = nodes.start(0, "restart-edge", Map.of("ROLES", "stream", "PORT", Integer.toString(port),
          "ADMIN_PORT", Integer.toString(management)));
      NodeProcess broker = nodes.start(1, "restart-broker", Map.of("ROLES", "ingest,orders"));
      edge.awaitLine("Node .* up", ProcessCluster.START);
      broker.awaitLine("Node .* up", ProcessCluster.START);
      WebClient web = WebClient.create(vertx);
      TestClient alice = new TestClient(vertx, port);
      assertThat(alice.login("alice", PASSWORD).statusCode()).isEqualTo(200);
      TestSocket socket = alice.admittedSocket();
      socket.send(new JsonObject().put("type", "subscribe").put("channels",
          new JsonArray(List.of("positions", "orders", "account", "trades"))));
      socket.awaitType("snapshot");

      List<Answer> answers = new CopyOnWriteArrayList<>();
      AtomicBoolean trading = new AtomicBoolean(true);
      Thread trader = new Thread(() -> trade(alice, answers, trading), "alice-trading");
      trader.start();
      try {
        Eventually.eventually(WITHIN, "orders accepted before the outage", () -> accepted(answers, 0) >= 3);
        PostgresServer postgres = PostgresServer.ofDataDir(dataDir);
        postgres.stop();
        long stoppedAt = System.currentTimeMillis();
        LOG.info("PostgreSQL stopped");

        Eventually.eventually(WITHIN, "readiness down, naming the database", () -> databaseDown(web, management));
        JsonObject stale = socket.await(info("DATA_STALE"), WITHIN);
        long staleAfter = System.currentTimeMillis() - stoppedAt;
        List<String> placedAtBroker = placeAtBroker(web, simulator.actualPort(), 3);
        Thread.sleep(Math.max(0, stoppedAt + OUTAGE.toMillis() - System.currentTimeMillis()));

        int restartLine = broker.output().size();
        postgres.start();
        long startedAt = System.currentTimeMillis();
        LOG.info("PostgreSQL started again");
        socket.await(info("DATA_RESUMED"), WITHIN);
        long resumedAfter = System.currentTimeMillis() - startedAt;
        Eventually.eventually(WITHIN, "readiness up again", () -> readiness(web, management).statusCode() == 200);
        Eventually.eventually(WITHIN, "an order accepted after the restart", () -> accepted(answers, startedAt) >= 1);
        long acceptedAfter = answers.stream().filter(a -> a.status() == 202 && a.at() >= startedAt)
            .mapToLong(Answer::at).min().orElseThrow() - startedAt;
        trading.set(false);
        trader.join(30_000);

        assertThat(stale.getJsonObject("data").getJsonObject("details").getString("source")).isEqualTo("database");
        assertThat(socket.isClosed()).as("alice's socket stayed open through the outage").isFalse();
        Map<Integer, Long> byStatus = answers.stream().collect(Collectors.groupingBy(Answer::status, Collectors.counting()));
        assertThat(byStatus.keySet()).as("answers to POST /api/orders, by status: " + byStatus).containsOnly(202, 503);
        assertThat(answers).filteredOn(a -> a.status() == 503)
            .as("the answers in the outage").isNotEmpty()
            .allMatch(a -> "DATABASE_UNAVAILABLE".equals(a.code()) && a.retryAfter() != null);

        Pool pool = PgPools.create(vertx, database.url(), 2);
        List<String> orderIds = answers.stream().filter(a -> a.status() == 202).map(Answer::orderId).toList();
        Eventually.eventually(WITHIN, "every accepted order at the broker exactly once",
            () -> atBrokerOnce(simulator, orderIds));
        Eventually.eventually(WITHIN, "every broker fill in the database, once",
            () -> executions(pool).equals(brokerExecutions(simulator)));
        assertThat(tradeRows(pool)).as("trade rows: none doubled").isEqualTo(brokerExecutions(simulator).size());
        assertThat(brokerOrderIdsOfFills(simulator)).as("the broker filled the orders placed at it in the outage, "
            + "so the database holds their fills only by backfill").containsAll(placedAtBroker);
        assertThat(errorLines(edge, broker)).as("ERROR lines of the nodes").isEmpty();
        Eventually.eventually(WITHIN, "both demo accounts' streams back with their backfill done",
            () -> broker.output().subList(restartLine, broker.output().size()).stream()
                .filter(line -> line.contains("listening; backfill handed over")).count() >= 2);
        LOG.info("Outage figures: {} orders answered ({}), DATA_STALE {} ms after the stop, DATA_RESUMED {} ms "
            + "and the first accepted order {} ms after the start; {} broker fills in the database, {} events "
            + "handed over by the backfills after it", answers.size(), byStatus, staleAfter, resumedAfter,
            acceptedAfter, tradeRows(pool), backfilled(broker, restartLine));
      } finally {
        trading.set(false);
        trader.join(30_000);
      }
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  private static ProcessCluster nodes(Database database, int simPort) {
    return ProcessCluster.of(Main.class, "db-restart", 2, database)
        .with("DEMO_PASSWORD", PASSWORD)
        .with("ORDER_POLL_INTERVAL_MS", "200")
        .with("BROKER_API_URL", "http://127.0.0.1:" + simPort)
        .with("BROKER_STREAM_URL", "ws://127.0.0.1:" + simPort + "/stream")
        .with("MARKET_DATA_URL", "ws://127.0.0.1:" + simPort + "/v2/iex");
  }

  /** Places a market order for one share every 200 ms until told to stop, each with its own Idempotency-Key. */
  private static void trade(TestClient alice, List<Answer> answers, AtomicBoolean trading) {
    while (trading.get()) {
      String key = UUID.randomUUID().toString();
      try {
        HttpResponse<Buffer> answer = alice.send(io.vertx.core.http.HttpMethod.POST, "/api/orders",
            new JsonObject().put("symbol", "AAPL").put("side", "buy").put("type", "market").put("qty", "1")
                .put("timeInForce", "day").encode(),
            Map.of("Content-Type", "application/json", "Idempotency-Key", key,
                "X-XSRF-TOKEN", String.valueOf(alice.cookie("XSRF-TOKEN"))));
        JsonObject body = answer.bodyAsJsonObject();
        String code = body.containsKey("error") ? body.getJsonObject("error").getString("code") : null;
        answers.add(new Answer(body.getString("orderId"), answer.statusCode(), code,
            answer.getHeader("Retry-After"), System.currentTimeMillis()));
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        answers.add(new Answer(null, -1, e.toString(), null, System.currentTimeMillis()));
      }
    }
  }

  private static long accepted(List<Answer> answers, long since) {
    return answers.stream().filter(a -> a.status() == 202 && a.at() >= since).count();
  }

  private static HttpResponse<Buffer> readiness(WebClient web, int management) throws Exception {
    return web.get(management, "127.0.0.1", "/readiness").send().await(10, TimeUnit.SECONDS);
  }

  private static boolean databaseDown(WebClient web, int management) throws Exception {
    HttpResponse<Buffer> answer = readiness(web, management);
    if (answer.statusCode() != 503) {
      return false;
    }
    return answer.bodyAsJsonObject().getJsonArray("checks").stream().map(JsonObject.class::cast)
        .anyMatch(c -> "database".equals(c.getString("id")) && "DOWN".equals(c.getString("status")));
  }

  private static Predicate<JsonObject> info(String code) {
    return m -> "info".equals(m.getString("type")) && code.equals(m.getJsonObject("data").getString("code"))
        && m.getJsonObject("data").getJsonObject("details") != null
        && "database".equals(m.getJsonObject("data").getJsonObject("details").getString("source"));
  }

  /** Orders sent straight to the broker while the database is away: their fills come to us only by backfill. */
  private static List<String> placeAtBroker(WebClient web, int simPort, int orders) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < orders; i++) {
      String clientOrderId = UUID.randomUUID().toString();
      JsonObject order = new JsonObject().put("symbol", "MSFT").put("qty", "1").put("side", "buy")
          .put("type", "market").put("time_in_force", "day").put("client_order_id", clientOrderId);
      HttpResponse<Buffer> placed = web.post(simPort, "127.0.0.1", "/v2/orders")
          .putHeader("APCA-API-KEY-ID", ALICE.apiKeyId()).putHeader("APCA-API-SECRET-KEY", ALICE.apiSecret())
          .sendJsonObject(order).await(10, TimeUnit.SECONDS);
      assertThat(placed.statusCode()).as(placed.bodyAsString()).isEqualTo(200);
      ids.add(placed.bodyAsJsonObject().getString("id"));
    }
    return ids;
  }

  private static boolean atBrokerOnce(SimulatorVerticle simulator, List<String> orderIds) throws Exception {
    Map<String, Integer> counts = new HashMap<>();
    for (Object o : simulator.orders(ALICE.apiKeyId()).await(10, TimeUnit.SECONDS)) {
      counts.merge(((JsonObject) o).getString("client_order_id"), 1, Integer::sum);
    }
    return orderIds.stream().allMatch(id -> counts.getOrDefault(id, 0) == 1);
  }

  private static java.util.Set<String> executions(Pool pool) throws Exception {
    java.util.Set<String> ids = new java.util.HashSet<>();
    pool.query("SELECT execution_id FROM trades").execute().await(10, TimeUnit.SECONDS)
        .forEach(r -> ids.add(r.getString(0)));
    return ids;
  }

  private static long tradeRows(Pool pool) throws Exception {
    return pool.query("SELECT count(*) FROM trades").execute().await(10, TimeUnit.SECONDS).iterator().next().getLong(0);
  }

  private static java.util.Set<String> brokerExecutions(SimulatorVerticle simulator) throws Exception {
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (Object f : simulator.fills(ALICE.apiKeyId()).await(10, TimeUnit.SECONDS)) {
      String id = ((JsonObject) f).getString("id");
      ids.add(id.substring(id.indexOf("::") + 2));
    }
    return ids;
  }

  private static java.util.Set<String> brokerOrderIdsOfFills(SimulatorVerticle simulator) throws Exception {
    return simulator.fills(ALICE.apiKeyId()).await(10, TimeUnit.SECONDS).stream()
        .map(f -> ((JsonObject) f).getString("order_id")).collect(Collectors.toSet());
  }

  /** Events the broker node's backfills handed over since output line {@code from}, by its log. */
  private static int backfilled(NodeProcess broker, int from) {
    java.util.regex.Pattern handed = java.util.regex.Pattern.compile("backfill handed over (\\d+) events");
    List<String> lines = broker.output();
    int events = 0;
    for (String line : lines.subList(from, lines.size())) {
      java.util.regex.Matcher m = handed.matcher(line);
      if (m.find()) {
        events += Integer.parseInt(m.group(1));
      }
    }
    return events;
  }

  private static List<String> errorLines(NodeProcess... nodes) {
    List<String> lines = new ArrayList<>();
    for (NodeProcess node : nodes) {
      node.output().stream().filter(line -> line.contains(" ERROR ") && !line.contains("com.hazelcast"))
          .forEach(lines::add);
    }
    return lines;
  }
}
