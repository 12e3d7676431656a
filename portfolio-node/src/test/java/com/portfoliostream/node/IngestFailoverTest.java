package com.portfoliostream.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.node.cluster.BrokerLedgerCheck;
import com.portfoliostream.testkit.Eventually;
import com.portfoliostream.testkit.ProcessCluster;
import com.portfoliostream.testkit.NodeProcess;
import com.portfoliostream.common.config.ConfigLoader;
import com.portfoliostream.common.config.NodeConfig;
import com.portfoliostream.common.db.Database;
import com.portfoliostream.common.db.PgPools;
import com.portfoliostream.demo.DemoPortfolio;
import com.portfoliostream.simulator.SimulatorSettings;
import com.portfoliostream.simulator.SimulatorVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two ingest nodes in their own JVMs against the broker simulator: the one streaming alice's
 * account is killed with SIGKILL while fills keep happening at the broker; the other takes the
 * account over and nothing is lost.
 */
@DisplayName("Ingest failover between node processes")
class IngestFailoverTest {

  private static final String ALICE_KEY = DemoPortfolio.USERS.get(0).account().orElseThrow().apiKeyId();

  @TempDir Path dataDir;

  @Test
  @DisplayName("kill -9 the owner of an account: the survivor takes it over within 10 s and no fill is lost")
  void takeover() throws Exception {
    Vertx vertx = Vertx.vertx();
    SimulatorVerticle simulator = new SimulatorVerticle(SimulatorSettings.manualMarket(100_000));
    vertx.deployVerticle(simulator).await(30, TimeUnit.SECONDS);
    NodeConfig dbConfig = ConfigLoader.load(Map.of("DATA_DIR", dataDir.toString()));
    try (Database database = Database.open(dbConfig);
         ProcessCluster nodes = ingestNodes(database, simulator.actualPort())) {
      NodeProcess a = nodes.start(0, "ingest-a", Map.of());
      NodeProcess b = nodes.start(1, "ingest-b", Map.of());
      a.awaitLine("Node .* up", ProcessCluster.START);
      b.awaitLine("Node .* up", ProcessCluster.START);
      Pool pool = PgPools.create(vertx, database.url(), 2);
      String account = aliceAccount(pool);
      NodeProcess owner = awaitOwner(a, b, account);
      NodeProcess survivor = owner == a ? b : a;
      submit(vertx, simulator, 3);
      awaitTrades(pool, simulator, account, Duration.ofSeconds(30));

      int seen = survivor.output().size();
      owner.kill();
      long killed = System.nanoTime();
      submit(vertx, simulator, 5);
      survivor.awaitLineAfter(seen, "now streams broker account " + account, Duration.ofSeconds(10));
      long tookOver = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
      System.out.println("Takeover of alice's stream after SIGKILL of its owner: " + tookOver + " ms");

      awaitTrades(pool, simulator, account, Duration.ofSeconds(30));
      assertThat(tradeCount(pool, account)).isEqualTo(brokerExecutions(simulator).size());
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  private static ProcessCluster ingestNodes(Database database, int simPort) {
    return ProcessCluster.of(Main.class, "failover", 2, database)
        .with("ROLES", "ingest")
        .with("BROKER_API_URL", "http://127.0.0.1:" + simPort)
        .with("BROKER_STREAM_URL", "ws://127.0.0.1:" + simPort + "/stream")
        .with("MARKET_DATA_URL", "ws://127.0.0.1:" + simPort + "/v2/iex");
  }

  private static String aliceAccount(Pool pool) throws Exception {
    return pool.preparedQuery("SELECT id FROM broker_accounts WHERE api_key_id = $1").execute(Tuple.of(ALICE_KEY))
        .await(10, TimeUnit.SECONDS).iterator().next().getUUID("id").toString();
  }

  /** The node streaming the account once the two have shared the accounts out, one each. */
  private static NodeProcess awaitOwner(NodeProcess a, NodeProcess b, String account) throws Exception {
    NodeProcess owner = Eventually.until(() -> {
      Set<String> byA = BrokerLedgerCheck.streamed(a);
      Set<String> byB = BrokerLedgerCheck.streamed(b);
      boolean shared = byA.size() == 1 && byB.size() == 1 && (byA.contains(account) || byB.contains(account));
      return shared ? (byA.contains(account) ? a : b) : null;
    }, node -> node != null, Duration.ofSeconds(30));
    if (owner == null) {
      throw new AssertionError("the two nodes did not share the accounts out");
    }
    return owner;
  }


  private static void submit(Vertx vertx, SimulatorVerticle simulator, int orders) throws Exception {
    var client = io.vertx.ext.web.client.WebClient.create(vertx);
    String secret = DemoPortfolio.USERS.get(0).account().orElseThrow().apiSecret();
    for (int i = 0; i < orders; i++) {
      JsonObject order = new JsonObject().put("symbol", "MSFT").put("qty", "1").put("side", "buy")
          .put("type", "market").put("time_in_force", "day").put("client_order_id", UUID.randomUUID().toString());
      int status = client.post(simulator.actualPort(), "127.0.0.1", "/v2/orders")
          .putHeader("APCA-API-KEY-ID", ALICE_KEY).putHeader("APCA-API-SECRET-KEY", secret)
          .sendJsonObject(order).await(10, TimeUnit.SECONDS).statusCode();
      assertThat(status).isEqualTo(200);
    }
  }

  private static void awaitTrades(Pool pool, SimulatorVerticle simulator, String account, Duration within)
      throws Exception {
    Eventually.eventually(within, "the database's fills are the broker's",
        () -> executions(pool, account).equals(brokerExecutions(simulator)));
  }


  private static Set<String> executions(Pool pool, String account) throws Exception {
    Set<String> ids = new HashSet<>();
    pool.preparedQuery("SELECT execution_id FROM trades WHERE account_id = $1::uuid").execute(Tuple.of(account))
        .await(10, TimeUnit.SECONDS).forEach(r -> ids.add(r.getString(0)));
    return ids;
  }

  private static long tradeCount(Pool pool, String account) throws Exception {
    return pool.preparedQuery("SELECT count(*) FROM trades WHERE account_id = $1::uuid").execute(Tuple.of(account))
        .await(10, TimeUnit.SECONDS).iterator().next().getLong(0);
  }

  private static Set<String> brokerExecutions(SimulatorVerticle simulator) throws Exception {
    Set<String> ids = new HashSet<>();
    List<Object> fills = simulator.fills(ALICE_KEY).await(10, TimeUnit.SECONDS).getList();
    for (Object f : fills) {
      String id = f instanceof JsonObject json ? json.getString("id") : String.valueOf(((Map<?, ?>) f).get("id"));
      ids.add(id.substring(id.indexOf("::") + 2));
    }
    return ids;
  }
}
