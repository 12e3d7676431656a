package com.portfoliostream.benchmarks;

import com.portfoliostream.common.config.ConfigLoader;
import com.portfoliostream.common.config.NodeConfig;
import com.portfoliostream.common.db.Database;
import com.portfoliostream.common.db.PgPools;
import com.portfoliostream.common.security.PasswordHashing;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.sqlclient.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The seed's load test against a real stream node in its own JVM: 100 sockets (one per user),
 * 10 positions per user, 1000 position updates a second in total, plus orders and fills, driven
 * on the clustered event bus from another cluster member. Then a prices-only phase (each user's 10
 * positions all update every second, nothing else) and a sparse phase where each position ticks
 * at its own rate of 1-100 a minute. Every price tick moves the price by 1 %, past the significance
 * threshold, so that no event is filtered away and the window alone is measured. Prints and saves latency percentiles (broker event to client
 * receipt), frames per user, the reduction, heap per socket and CPU under docs/benchmarks/.
 *
 * Prices-only runs twice: each user's ten updates as one burst a second, and spread over the
 * second (user after user); an isolated phase gives each user one tick every two seconds.
 *
 * <p>Usage: {@code bin/benchmark-edge [continuousSeconds] [phaseSeconds] [deadline|window]}
 * (defaults 60, 30 and deadline, the node's BATCH_MODE).
 */
public final class EdgeLoadBenchmark {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EdgeLoadBenchmark.class);
  static final int USERS = 100;
  static final int POSITIONS = 10;
  static final String PASSWORD = "bench-password";
  /** 1000 position updates a second (each user's ten positions once a second), 20 orders and 10 fills. */
  static final PortfolioLoad.Rates CONTINUOUS = new PortfolioLoad.Rates(1000, 20, 10);
  static final PortfolioLoad.Rates PRICES_ONLY = new PortfolioLoad.Rates(1000, 0, 0);
  /** One tick per user every two seconds: nothing else of the user's waits, so each goes alone. */
  static final PortfolioLoad.Rates ISOLATED = new PortfolioLoad.Rates(USERS / 2, 0, 0);

  /** How a phase's load is shaped. */
  enum Shape { CONTINUOUS, PRICES_BURST, PRICES_SPREAD, SPARSE, ISOLATED }
  /** Unrecorded load first, so that JIT compilation does not count as latency. */
  static final int WARM_UP_SECONDS = 10;

  public static void main(String[] args) throws Exception {
    int continuous = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    int sparse = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    String mode = args.length > 2 ? args[2] : "deadline";
    Path dataDir = Files.createTempDirectory("edge-bench");
    NodeConfig dbConfig = ConfigLoader.load(Map.of("DATA_DIR", dataDir.toString()));
    try (Database database = Database.open(dbConfig)) {
      new EdgeLoadBenchmark().run(database, continuous, sparse, mode);
    }
    System.exit(0);
  }

  private void run(Database database, int continuousSeconds, int sparseSeconds, String mode) throws Exception {
    Vertx clientVertx = Vertx.vertx();
    Map<String, Object> report = new LinkedHashMap<>();
    try (EdgeNode node = EdgeNode.start(database, Map.of("MAX_CONNECTIONS", "500", "BATCH_MODE", mode),
        List.of("-Xmx512m"), new VertxOptions())) {
      Vertx driver = node.member();
      MeasuredNode edge = node.node();
      Pool pool = PgPools.create(driver, database.url(), 4);
      List<UUID> users = BenchUsers.create(driver, pool, new PasswordHashing(), "bench", USERS, PASSWORD);
      log("edge node up on port %d; signing in %d users", node.port(), USERS);
      List<BenchClient> clients = new ArrayList<>();
      for (int u = 0; u < USERS; u++) {
        clients.add(BenchClient.signIn(clientVertx, node.port(), "bench" + u, PASSWORD));
      }
      long heapBefore = edge.heapUsedAfterGc();
      for (BenchClient client : clients) {
        client.openSocket();
      }
      Thread.sleep(1000);
      long heapAfter = edge.heapUsedAfterGc();
      report.put("machine", Machine.describe());
      report.put("command", "bin/benchmark-edge " + continuousSeconds + " " + sparseSeconds + " " + mode);
      report.put("sockets", USERS);
      report.put("heapPerIdleSocketBytesWholeProcess", (heapAfter - heapBefore) / USERS);
      report.put("bookkeepingPerIdleSocketBytes", Math.round(BookkeepingProbe.bytesPerIdleSocket(1000, USERS)));

      report.put("batchMode", mode);
      phase(edge, driver, users, clients, WARM_UP_SECONDS, Shape.CONTINUOUS);
      report.put("warmUpSeconds", WARM_UP_SECONDS);
      report.put("continuous", phase(edge, driver, users, clients, continuousSeconds, Shape.CONTINUOUS));
      report.put("pricesOnly", phase(edge, driver, users, clients, sparseSeconds, Shape.PRICES_BURST));
      report.put("pricesOnlySpread", phase(edge, driver, users, clients, sparseSeconds, Shape.PRICES_SPREAD));
      report.put("sparse", phase(edge, driver, users, clients, sparseSeconds, Shape.SPARSE));
      report.put("isolated", phase(edge, driver, users, clients, sparseSeconds, Shape.ISOLATED));
      for (BenchClient client : clients) {
        client.close();
      }
      pool.close();
    } finally {
      clientVertx.close();
    }
    Reports.save(report);
  }

  /** Drives one phase and returns its figures. */
  private Map<String, Object> phase(MeasuredNode edge, Vertx driver, List<UUID> users, List<BenchClient> clients,
      int seconds, Shape shape) throws Exception {
    clients.forEach(BenchClient::reset);
    log("%s phase: %d s", shape, seconds);
    EventSink sink = EventSink.bus(driver);
    PortfolioLoad load = switch (shape) {
      case CONTINUOUS -> new PortfolioLoad(driver, users, POSITIONS, CONTINUOUS, sink);
      case PRICES_BURST -> new PortfolioLoad(driver, users, POSITIONS, PRICES_ONLY, sink);
      case PRICES_SPREAD -> PortfolioLoad.spread(driver, users, POSITIONS, PRICES_ONLY, sink);
      case SPARSE -> PortfolioLoad.sparse(driver, users, POSITIONS, sink);
      case ISOLATED -> PortfolioLoad.spread(driver, users, POSITIONS, ISOLATED, sink);
    };
    long cpuBefore = edge.cpuMillis();
    long start = System.currentTimeMillis();
    load.start();
    Thread.sleep(seconds * 1000L);
    load.stop();
    long elapsed = System.currentTimeMillis() - start;
    long cpu = edge.cpuMillis() - cpuBefore;
    Thread.sleep(2500);
    long frames = 0;
    for (BenchClient client : clients) {
      frames += client.book().frames();
    }
    Map<String, Map<String, Long>> latency = BenchClient.merge(clients);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("seconds", seconds);
    result.put("eventsPublished", load.published());
    result.put("positionUpdatesPerSecond", Math.round(load.positionUpdates() * 1000.0 / elapsed));
    result.put("framesReceived", frames);
    result.put("framesPerSecondPerUser", round(frames * 1000.0 / elapsed / users.size()));
    result.put("framesPerEvent", round((double) frames / load.published()));
    result.put("reductionPercent", round(100.0 * (1.0 - (double) frames / load.published())));
    result.put("edgeCpuCoresUsed", round((double) cpu / elapsed));
    result.put("latencyMs", latency);
    return result;
  }

  static double round(double value) {
    return Math.round(value * 100.0) / 100.0;
  }

  static void log(String format, Object... args) {
    LOG.info(String.format(format, args));
  }
}
