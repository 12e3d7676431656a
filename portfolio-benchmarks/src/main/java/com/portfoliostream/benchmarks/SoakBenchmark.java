package com.portfoliostream.benchmarks;

import com.portfoliostream.common.db.Database;
import com.portfoliostream.common.db.PgPools;
import com.portfoliostream.common.security.PasswordHashing;
import com.portfoliostream.testkit.FreePorts;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.sqlclient.Pool;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * Issue #18's soak: the node under test ({@code ROLES=stream,ingest,orders}, the demo's traders, the
 * flags of {@code bin/portfolio-node}) in its own JVM, the broker simulator in another, for
 * {@code minutes} at ten times the seed load: {@code sockets} sockets taking {@code rate} position
 * updates a second (published on the clustered bus from a member in this JVM, as in the scale
 * benchmark), and {@code orders-per-minute} real orders placed through REST by alice and bob,
 * sent by the order queue to the simulator and filled back through ingest to their sockets. Every
 * {@code sample} seconds it samples the node ({@link SoakSampler}) and what the clients saw; the
 * series and the verdict go to docs/benchmarks/soak.{json,md} ({@link SoakReport}).
 *
 * <p>Usage: {@code bin/benchmark-soak [minutes=60] [sockets=1000] [users=sockets] [rate=10000]
 * [orders-per-minute=600] [sample=60] [warmup=5] [quiet=3] [iterations=10000]} ({@link SoakSettings}).
 */
public final class SoakBenchmark {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SoakBenchmark.class);
  static final String PASSWORD = "soak-bench-password";
  static final String USER_PREFIX = "soak";
  /** The demo's traders and the symbol each holds and trades. */
  static final Map<String, String> TRADERS = Map.of("alice", "AAPL", "bob", "MSFT");
  static final String EVERY_CHANNEL = "[\"positions\",\"orders\",\"account\",\"trades\"]";

  private final SoakSettings run;
  private final Vertx clients = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));

  private SoakBenchmark(SoakSettings run) {
    this.run = run;
  }

  public static void main(String[] args) {
    try {
      SoakSettings run = SoakSettings.parse(args);
      ScaleBenchmark.requireOpenFiles(run.sockets());
      try (Database database = ScaleBenchmark.temporaryDatabase("soak-bench")) {
        // An interrupted soak (Ctrl-C, a kill) stops its embedded PostgreSQL too, instead of leaving
        // it running.
        Thread stopDatabase = new Thread(() -> {
          try {
            database.close();
          } catch (Exception e) {
            LOG.warn("Could not stop the soak's database: {}", e.toString());
          }
        }, "soak-database-stop");
        Runtime.getRuntime().addShutdownHook(stopDatabase);
        SoakReport.save(new SoakBenchmark(run).soak(database));
        Runtime.getRuntime().removeShutdownHook(stopDatabase);
      }
    } catch (Exception | AssertionError e) {
      LOG.error("The soak failed", e);
      System.exit(1);
    }
    System.exit(0);
  }

  private Map<String, Object> soak(Database database) throws Exception {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("machine", Machine.describe());
    report.put("command", run.command());
    report.put("settings", run);
    List<UUID> userIds = createUsers(database);
    int simPort = FreePorts.free();
    try (MeasuredNode simulator = up(new MeasuredNode(simulatorEnv(database, simPort)));
        SoakNode node = SoakNode.start(database, nodeSettings(simPort))) {
      report.put("node", node.describe());
      SocketFleet fleet = new SocketFleet(clients, new StreamDialect(), node.port());
      List<String> cookies = new ArrayList<>();
      report.put("signIn", fleet.signIn(usernames(), PASSWORD, ScaleBenchmark.SIGN_INS_AT_ONCE, cookies));
      report.put("sockets", fleet.open(cookies, run.socketsPerUser()));
      List<OrderFlow.Desk> desks = new ArrayList<>();
      for (Map.Entry<String, String> trader : TRADERS.entrySet()) {
        OrderTrader signedIn = OrderTrader.signIn(clients, node.port(), trader.getKey(), PASSWORD);
        signedIn.openSocket(EVERY_CHANNEL);
        desks.add(new OrderFlow.Desk(signedIn, trader.getValue()));
      }
      RestReconciliation reconciliation = new RestReconciliation(clients, node.port(), cookies);
      reconciliation.start();
      report.put("samples", sampleWhileLoaded(node, fleet, userIds, desks));
      reconciliation.close();
      report.put("restReconciliation", Map.of("everyMsPerUser", RestReconciliation.EVERY_MS,
          "answersByStatus", reconciliation.answers()));
      report.put("closedByServer", fleet.serverCloses());
      report.put("nodeErrors", NodeLog.errors(node.process().output()));
      report.put("nodeBlockedThreadWarnings", NodeLog.count(node.process().output(), "has been blocked for"));
      report.put("simulatorErrors", NodeLog.errors(simulator.output()));
      report.put("nodeAliveAtEnd", node.process().alive());
      desks.forEach(desk -> desk.trader().close());
      fleet.close();
    }
    clients.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return report;
  }

  private static MeasuredNode up(MeasuredNode process) throws InterruptedException {
    process.awaitUp();
    return process;
  }

  private List<String> usernames() {
    return IntStream.range(0, run.users()).mapToObj(u -> USER_PREFIX + u).toList();
  }

  private List<UUID> createUsers(Database database) throws Exception {
    Pool pool = PgPools.create(clients, database.url(), 4);
    try {
      return BenchUsers.create(clients, pool, new PasswordHashing(run.hashIterations()), USER_PREFIX, run.users(), PASSWORD);
    } finally {
      pool.close();
    }
  }

  /** A sample at load start, then one every {@code sample} seconds until the end, on the wall clock. */
  private List<Map<String, Object>> sampleWhileLoaded(SoakNode node, SocketFleet fleet, List<UUID> userIds,
      List<OrderFlow.Desk> desks) throws Exception {
    PortfolioLoad prices = new PortfolioLoad(node.member(), userIds, ScaleSettings.POSITIONS_PER_USER,
        new PortfolioLoad.Rates(run.rate(), 0, 0), EventSink.bus(node.member()));
    OrderFlow orders = new OrderFlow(clients, desks, run.ordersPerMinute());
    SoakSampler sampler = new SoakSampler(node, fleet, prices, orders, run.quietSeconds());
    List<Map<String, Object>> samples = new ArrayList<>();
    long started = System.currentTimeMillis();
    samples.add(sampler.sample(0));
    prices.start();
    orders.start();
    long end = started + run.minutes() * 60_000L;
    for (long next = started + run.sampleSeconds() * 1000L; next <= end; next += run.sampleSeconds() * 1000L) {
      Thread.sleep(Math.max(0, next - System.currentTimeMillis()));
      Map<String, Object> sample = sampler.sample((System.currentTimeMillis() - started) / 60_000.0);
      samples.add(sample);
      LOG.info("Soak sample {}", sample);
      if (!node.process().alive()) {
        LOG.error("The node under test exited: the soak ends here");
        break;
      }
    }
    prices.stop();
    orders.stop();
    return samples;
  }

  private static Map<String, String> simulatorEnv(Database database, int simPort) throws Exception {
    int clusterPort = FreePorts.free();
    Map<String, String> env = new HashMap<>();
    env.put("ROLES", "simulator");
    env.put("SIM_PORT", Integer.toString(simPort));
    env.put("PORT", Integer.toString(FreePorts.free()));
    env.put("ADMIN_PORT", "0");
    env.put("DEMO", "false");
    env.put("SIM_REQUESTS_PER_MINUTE", "1000000");
    env.put("DATABASE_URL", EdgeNode.databaseUrl(database));
    env.put("DATA_DIR", Files.createTempDirectory("soak-sim").toString());
    env.put("CLUSTER_NAME", "soak-sim-" + UUID.randomUUID());
    env.put("CLUSTER_PORT", Integer.toString(clusterPort));
    env.put("CLUSTER_MEMBERS", "127.0.0.1:" + clusterPort);
    return env;
  }

  /** The node under test: the edge with room for every socket, the order queue and ingest against the simulator. */
  private Map<String, String> nodeSettings(int simPort) {
    Map<String, String> settings = new HashMap<>();
    settings.put("ROLES", "stream,ingest,orders");
    settings.put("DEMO", "true");
    settings.put("DEMO_PASSWORD", PASSWORD);
    settings.put("SIM_PORT", Integer.toString(simPort));
    settings.put("MAX_CONNECTIONS", Integer.toString(run.sockets() + 16));
    settings.put("MAX_CONNECTIONS_PER_ADDRESS", Integer.toString(SocketFleet.SOCKETS_PER_ADDRESS + 64));
    settings.put("MAX_CONNECTIONS_PER_USER", Integer.toString(Math.max(5, ScaleSettings.spread(run.sockets(), run.users())[0])));
    settings.put("PASSWORD_HASH_ITERATIONS", Integer.toString(run.hashIterations()));
    // Two traders place every order of the soak: lift the per-user quotas for them.
    settings.put("ORDER_RATE_PER_MINUTE", "100000");
    settings.put("MAX_OPEN_ORDERS_PER_USER", "100000");
    return settings;
  }
}
