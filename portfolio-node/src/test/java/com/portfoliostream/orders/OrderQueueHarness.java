package com.portfoliostream.orders;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.stream.StreamVerticle;
import com.portfoliostream.demo.DemoPortfolio;
import com.portfoliostream.ingest.IngestVerticle;
import com.portfoliostream.simulator.SimulatorSettings;
import com.portfoliostream.simulator.SimulatorVerticle;
import com.portfoliostream.testkit.EdgeCluster;
import com.portfoliostream.testkit.TestClient;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The order path for real, in one JVM: the broker simulator (prices move only when a test moves
 * them), and clustered nodes each running the real stream edge and the real order workers against
 * it over HTTP, with the real ingest on the first node when asked (fills and broker-side status).
 */
final class OrderQueueHarness implements AutoCloseable {

  static final String ALICE_KEY = DemoPortfolio.USERS.get(0).account().orElseThrow().apiKeyId();
  static final String BOB_KEY = DemoPortfolio.USERS.get(1).account().orElseThrow().apiKeyId();

  final Vertx simVertx = Vertx.vertx();
  final SimulatorVerticle simulator;
  final EdgeCluster<StreamVerticle> cluster;

  private OrderQueueHarness(SimulatorVerticle simulator, EdgeCluster cluster) {
    this.simulator = simulator;
    this.cluster = cluster;
  }

  static OrderQueueHarness start(int nodes, boolean ingest, Map<String, String> extra) throws Exception {
    Vertx simVertx = Vertx.vertx();
    SimulatorVerticle simulator = new SimulatorVerticle(SimulatorSettings.manualMarket(1_000_000));
    EdgeCluster.await(simVertx.deployVerticle(simulator));
    Map<String, String> settings = new HashMap<>(extra);
    int sim = simulator.actualPort();
    settings.put("BROKER_API_URL", "http://127.0.0.1:" + sim);
    settings.put("BROKER_STREAM_URL", "ws://127.0.0.1:" + sim + "/stream");
    settings.put("MARKET_DATA_URL", "ws://127.0.0.1:" + sim + "/v2/iex");
    EdgeCluster<StreamVerticle> cluster = EdgeCluster.start(nodes, settings,
        new EdgeCluster.Role<>(StreamVerticle::new, StreamVerticle::actualPort));
    for (int i = 0; i < nodes; i++) {
      EdgeCluster.Node<StreamVerticle> node = cluster.node(i);
      EdgeCluster.await(node.vertx().deployVerticle(new OrderQueueVerticle(node.context())));
      if (ingest && i == 0) {
        EdgeCluster.await(node.vertx().deployVerticle(new IngestVerticle(node.context())));
      }
    }
    return new OrderQueueHarness(simulator, cluster);
  }

  TestClient signedIn(String user, int node) throws Exception {
    TestClient client = new TestClient(cluster.clients(), cluster.node(node).port());
    assertThat(client.login(user, EdgeCluster.PASSWORD).statusCode()).isEqualTo(200);
    return client;
  }

  static JsonObject market(String symbol, String side, String qty) {
    return new JsonObject().put("symbol", symbol).put("side", side).put("type", "market").put("qty", qty)
        .put("timeInForce", "day");
  }

  /** A buy far below the market: it rests at the broker and never fills. */
  static JsonObject restingLimit(String symbol) {
    return new JsonObject().put("symbol", symbol).put("side", "buy").put("type", "limit").put("qty", "1")
        .put("limitPrice", "1.00").put("timeInForce", "gtc");
  }

  /** Posts an order and returns its id; fails unless the edge answered 202. */
  static String place(TestClient client, JsonObject order) throws Exception {
    HttpResponse<Buffer> response = client.post("/api/orders", order);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(202);
    return response.bodyAsJsonObject().getString("orderId");
  }

  static HttpResponse<Buffer> cancel(TestClient client, String orderId) throws Exception {
    return client.send(HttpMethod.DELETE, "/api/orders/" + orderId, null,
        Map.of("X-XSRF-TOKEN", client.cookie("XSRF-TOKEN")));
  }

  /** The broker's orders of one key, by client order id: each id with every broker order carrying it. */
  Map<String, List<JsonObject>> brokerOrders(String key) throws Exception {
    Map<String, List<JsonObject>> byClientId = new HashMap<>();
    for (Object o : EdgeCluster.await(simulator.orders(key))) {
      JsonObject order = (JsonObject) o;
      byClientId.computeIfAbsent(order.getString("client_order_id"), id -> new ArrayList<>()).add(order);
    }
    return byClientId;
  }

  Row row(String sql, Object... params) throws Exception {
    return EdgeCluster.await(cluster.pool().preparedQuery(sql).execute(Tuple.from(params))).iterator().next();
  }

  /** How many attempts at jobs of this kind ended with this outcome on this node (a Micrometer counter: a count, not an amount). */
  long attempts(int node, String kind, String outcome) {
    Counter counter = cluster.node(node).context().metrics().find(com.portfoliostream.common.metrics.MetricNames.ORDER_JOB_ATTEMPTS)
        .tag("kind", kind).tag("outcome", outcome).counter();
    return counter == null ? 0 : (long) counter.count();
  }


  @Override
  public void close() throws Exception {
    cluster.close();
    simVertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
