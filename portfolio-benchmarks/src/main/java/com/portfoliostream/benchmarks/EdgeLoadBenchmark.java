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
 * <p>Usage: {@code bin/benchmark-edge [continuousSeconds] [sparseSeconds]} (defaults 60 and 30).
 */
public final class EdgeLoadBenchmark {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EdgeLoadBenchmark.class);
  static final int USERS = 100;
  static final int POSITIONS = 10;
  static final String PASSWORD = "bench-password";
  /** 1000 position updates a second (each user's ten positions once a second), 20 orders and 10 fills. */
  static final PortfolioLoad.Rates CONTINUOUS = new PortfolioLoad.Rates(1000, 20, 10);
  static final PortfolioLoad.Rates PRICES_ONLY = new PortfolioLoad.Rates(1000, 0, 0);
  /** Unrecorded load first, so that JIT compilation does not count as latency. */
  static final int WARM_UP_SECONDS = 10;

  public static void main(String[] args) throws Exception {
    int continuous = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    int sparse = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    Path dataDir = Files.createTempDirectory("edge-bench");
    NodeConfig dbConfig = ConfigLoader.load(Map.of("DATA_DIR", dataDir.toString()));
    try (Database database = Database.open(dbConfig)) {
      new EdgeLoadBenchmark().run(database, continuous, sparse);
    }
    System.exit(0);
  }

  private void run(Database database, int continuousSeconds, int sparseSeconds) throws Exception {
    Vertx clientVertx = Vertx.vertx();
    Map<String, Object> report = new LinkedHashMap<>();
    try (EdgeNode node = EdgeNode.start(database, Map.of("MAX_CONNECTIONS", "500"), List.of("-Xmx512m"), new VertxOptions())) {
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
      report.put("command", "bin/benchmark-edge " + continuousSeconds + " " + sparseSeconds);
      report.put("sockets", USERS);
      report.put("heapPerIdleSocketBytesWholeProcess", (heapAfter - heapBefore) / USERS);
      report.put("bookkeepingPerIdleSocketBytes", Math.round(BookkeepingProbe.bytesPerIdleSocket(1000, USERS)));

      phase(edge, driver, users, clients, WARM_UP_SECONDS, false, false);
      report.put("warmUpSeconds", WARM_UP_SECONDS);
      report.put("continuous", phase(edge, driver, users, clients, continuousSeconds, false, false));
      report.put("pricesOnly", phase(edge, driver, users, clients, sparseSeconds, false, true));
      report.put("sparse", phase(edge, driver, users, clients, sparseSeconds, true, false));
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
      int seconds, boolean sparse, boolean pricesOnly) throws Exception {
    clients.forEach(BenchClient::reset);
    log("%s phase: %d s", sparse ? "sparse" : pricesOnly ? "prices-only" : "continuous", seconds);
    PortfolioLoad load = sparse ? PortfolioLoad.sparse(driver, users, POSITIONS, EventSink.bus(driver))
        : new PortfolioLoad(driver, users, POSITIONS, pricesOnly ? PRICES_ONLY : CONTINUOUS, EventSink.bus(driver));
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
