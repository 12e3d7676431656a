package com.portfoliostream.benchmarks;

import com.portfoliostream.common.config.ConfigLoader;
import com.portfoliostream.common.db.Database;
import com.portfoliostream.common.db.PgPools;
import com.portfoliostream.common.security.PasswordHashing;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * Issue #16's scale benchmark: our stream edge and a Socket.IO server written for the same job
 * ({@link SocketIoPeer}), side by side under the same users, sockets and load, each in a process of
 * its own, driven by one client program in this JVM (Vert.x, no thread per socket). For each
 * server: sign every user in, open every socket and time it to its snapshot, then an idle phase
 * (CPU, resident memory, heap after a full GC, each per socket) and, after an unrecorded warm-up,
 * a load phase (position updates spread over each second, orders and fills; deliveries a second,
 * per server core, latency per kind from publish to receipt). The driver's own CPU is reported
 * beside the server's. Saves docs/benchmarks/scale.{json,md}.
 *
 * <p>Usage: {@code bin/benchmark-scale [sockets=1000] [users=sockets/5] [rate=users] [warmup=10]
 * [idle=20] [load=60] [servers=both] [iterations=10000]} ({@link ScaleSettings}).
 */
public final class ScaleBenchmark {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ScaleBenchmark.class);
  static final String PASSWORD = "scale-bench-password";
  static final String USER_PREFIX = "scale";
  /** The user whose sign-in and socket warm each server up, uncounted. */
  static final String WARM_UP_USER = "scale-warm-up";
  /** Sign-ins in flight: the two per core our node hashes at once (HashGate), the four threads of libuv's pool. */
  static final int SIGN_INS_AT_ONCE = 2 * Runtime.getRuntime().availableProcessors();
  /** Open files beyond one per socket that the driver and a server need (jars, pools, epoll). */
  static final int SPARE_OPEN_FILES = 1024;
  /** After a load phase, its figures are taken once the sockets have received nothing for this long... */
  static final long QUIET_MS = 1_500;
  /** ...or this long after the load stopped, whichever comes first. */
  static final long DRAIN_MAX_MS = 15_000;

  private final ScaleSettings run;
  private final Vertx clients = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
  private List<UUID> userIds;
  private List<String> usernames;

  private ScaleBenchmark(ScaleSettings run) {
    this.run = run;
  }

  public static void main(String[] args) throws Exception {
    ScaleSettings run = ScaleSettings.parse(args);
    requireOpenFiles(run.sockets());
    try (Database database = temporaryDatabase("scale-bench")) {
      ScaleReport.save(new ScaleBenchmark(run).measure(database));
    } catch (Exception | AssertionError e) {
      // The driver's event loops would keep the JVM up after a failed run: say why and end it.
      LOG.error("The scale benchmark failed", e);
      System.exit(1);
    }
    System.exit(0);
  }

  /** Fails at once when {@code sockets} would not fit this process's open-files limit (nor, then, the server's). */
  static void requireOpenFiles(int sockets) throws java.io.IOException {
    long limit = ProcStat.openFilesLimit();
    if (sockets + SPARE_OPEN_FILES > limit) {
      throw new IllegalStateException(sockets + " sockets need " + (sockets + SPARE_OPEN_FILES)
          + " open files in the driver and in each server, and the limit is " + limit + " (ulimit -n; raise the hard limit)");
    }
  }

  /** An embedded PostgreSQL of the benchmark's own, in a new temporary folder. */
  static Database temporaryDatabase(String prefix) throws java.io.IOException {
    return Database.open(ConfigLoader.load(Map.of("DATA_DIR", Files.createTempDirectory(prefix).toString())));
  }

  private Map<String, Object> measure(Database database) throws Exception {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("machine", Machine.describe());
    report.put("command", run.command());
    report.put("report", run.report());
    report.put("settings", settings());
    Pool pool = PgPools.create(clients, database.url(), 4);
    usernames = IntStream.range(0, run.users()).mapToObj(u -> USER_PREFIX + u).toList();
    long started = System.nanoTime();
    userIds = BenchUsers.create(clients, pool, new PasswordHashing(run.hashIterations()), USER_PREFIX, run.users(), PASSWORD);
    double seconds = (System.nanoTime() - started) / 1e9;
    report.put("usersCreated", Map.of("users", run.users(), "seconds", EdgeLoadBenchmark.round(seconds),
        "perSecond", EdgeLoadBenchmark.round(run.users() / seconds), "through", "UserAccounts.create"));
    BenchUsers.create(clients, pool, new PasswordHashing(run.hashIterations()), WARM_UP_USER, 1, PASSWORD);
    List<String> everyone = new ArrayList<>(usernames);
    everyone.add(WARM_UP_USER + 0);
    JsonArray rows = BenchUsers.rows(pool, everyone);
    pool.close();
    Map<String, Object> servers = new LinkedHashMap<>();
    for (String name : run.servers()) {
      LOG.info("Starting {} for {} sockets of {} users", name, run.sockets(), run.users());
      try (ScaleServer server = name.equals(ScaleSettings.STREAM) ? new StreamServer(database, run) : new SocketIoPeer(rows, run)) {
        servers.put(name, measure(server));
      }
    }
    report.put("servers", servers);
    clients.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return report;
  }

  private Map<String, Object> settings() {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("sockets", run.sockets());
    settings.put("users", run.users());
    settings.put("socketsPerUser", run.maxSocketsPerUser());
    settings.put("positionsPerUser", ScaleSettings.POSITIONS_PER_USER);
    settings.put("eventsPerSecond", run.rates());
    settings.put("seconds", Map.of("warmUp", run.warmupSeconds(), "idle", run.idleSeconds(), "load", run.loadSeconds()));
    settings.put("passwordHashIterations", run.hashIterations());
    settings.put("signInsAtOnce", SIGN_INS_AT_ONCE);
    settings.put("socketsOpeningAtOnce", SocketFleet.OPENING_AT_ONCE);
    settings.put("socketsPerSourceAddress", SocketFleet.SOCKETS_PER_ADDRESS);
    return settings;
  }

  /** One server's run: sign-in, sockets, idle, warm-up, load. */
  private Map<String, Object> measure(ScaleServer server) throws Exception {
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("settings", server.settings());
    ProcStat process = server.process();
    SocketFleet fleet = new SocketFleet(clients, server.dialect(), server.port());
    fleet.warmUp(WARM_UP_USER + 0, PASSWORD);
    List<String> cookies = new ArrayList<>();
    figures.put("signIn", fleet.signIn(usernames, PASSWORD, SIGN_INS_AT_ONCE, cookies));
    long heapBefore = server.heapUsedAfterGc();
    long rssBefore = process.rssBytes();
    Map<String, Object> open = fleet.open(cookies, run.socketsPerUser());
    figures.put("sockets", open);
    LOG.info("{}: {} sockets open; idle for {} s", server.name(), open.get("opened"), run.idleSeconds());
    Map<String, Object> idle = phase(server, fleet, null, run.idleSeconds());
    figures.put("idle", idle);
    long heapWith = server.heapUsedAfterGc();
    figures.put("memory", memory(((Number) open.get("opened")).longValue(), rssBefore, heapBefore,
        process.rssBytes(), heapWith));
    LOG.info("{}: warming up for {} s, then {} s of load", server.name(), run.warmupSeconds(), run.loadSeconds());
    phase(server, fleet, run.rates(), run.warmupSeconds());
    figures.put("load", phase(server, fleet, run.rates(), run.loadSeconds()));
    if (run.ceilingSteps() > 0) {
      figures.put("ceiling", ceiling(server, fleet));
    }
    figures.put("closedByServer", fleet.serverCloses());
    figures.put("errorLines", server.errorLines());
    fleet.close();
    return figures;
  }

  /** Each figure read right after a full GC, so that both readings of the resident memory come alike. */
  private static Map<String, Object> memory(long sockets, long rssBefore, long heapBefore, long rssWith, long heapWith) {
    Map<String, Object> memory = new LinkedHashMap<>();
    memory.put("rssBeforeSocketsBytes", rssBefore);
    memory.put("rssWithSocketsBytes", rssWith);
    memory.put("rssPerSocketBytes", sockets == 0 ? 0 : (rssWith - rssBefore) / sockets);
    memory.put("heapAfterGcBeforeSocketsBytes", heapBefore);
    memory.put("heapAfterGcWithSocketsBytes", heapWith);
    memory.put("heapPerSocketBytes", sockets == 0 ? 0 : (heapWith - heapBefore) / sockets);
    return memory;
  }

  /**
   * The search for the server's ceiling: the load's rate doubled, step after step, until a step's
   * urgent p99 or price p95 passes its limit, or the driver publishes less than nine tenths of
   * the rate asked (then the driver, not the server, is what stopped).
   */
  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> ceiling(ScaleServer server, SocketFleet fleet) throws Exception {
    List<Map<String, Object>> steps = new ArrayList<>();
    for (int step = 1; step <= run.ceilingSteps(); step++) {
      int rate = run.rate() << step;
      LOG.info("{}: ceiling step {}: {} position updates a second for {} s", server.name(), step, rate, run.stepSeconds());
      Map<String, Object> figures = phase(server, fleet, ScaleSettings.rates(rate), run.stepSeconds());
      Map<String, Map<String, Long>> latency = (Map<String, Map<String, Long>>) figures.get("latencyMs");
      long urgentP99 = latency.entrySet().stream().filter(e -> !e.getKey().equals(FrameScanner.POSITION_PRICE))
          .mapToLong(e -> e.getValue().getOrDefault("p99", 0L)).max().orElse(0);
      long priceP95 = latency.getOrDefault(FrameScanner.POSITION_PRICE, Map.of()).getOrDefault("p95", 0L);
      double published = ((Number) figures.get("positionUpdatesPerSecond")).doubleValue();
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("positionUpdatesAsked", rate);
      row.put("positionUpdatesPerSecond", published);
      row.put("deliveriesPerSecond", figures.get("deliveriesPerSecond"));
      row.put("serverCpuCores", figures.get("serverCpuCores"));
      row.put("driverCpuCores", figures.get("driverCpuCores"));
      row.put("urgentP99Ms", urgentP99);
      row.put("priceP95Ms", priceP95);
      row.put("gcPauses", figures.get("gcPauses"));
      String verdict = urgentP99 > ScaleSettings.URGENT_P99_LIMIT_MS ? "urgent p99 over " + ScaleSettings.URGENT_P99_LIMIT_MS + " ms"
          : priceP95 > ScaleSettings.PRICE_P95_LIMIT_MS ? "price p95 over " + ScaleSettings.PRICE_P95_LIMIT_MS + " ms"
          : published < 0.9 * rate ? "the driver could not publish the rate" : "within limits";
      row.put("verdict", verdict);
      steps.add(row);
      if (!verdict.equals("within limits")) {
        break;
      }
    }
    return steps;
  }

  /** {@code seconds} of load at {@code rates} (null: nothing), with what the server and the driver spent and what the sockets got. */
  private Map<String, Object> phase(ScaleServer server, SocketFleet fleet, PortfolioLoad.Rates rates, int seconds)
      throws Exception {
    fleet.swapBook();
    PortfolioLoad load = rates != null ? new PortfolioLoad(server.publisher(), userIds, ScaleSettings.POSITIONS_PER_USER,
        rates, server.events()) : null;
    long gcMark = server.gcLog().isPresent() ? server.gcLog().get().mark() : 0;
    ProcStat process = server.process();
    ProcStat driver = ProcStat.self();
    long serverCpu = process.cpuMillis();
    long driverCpu = driver.cpuMillis();
    long started = System.currentTimeMillis();
    if (load != null) {
      load.start();
    }
    Thread.sleep(seconds * 1000L);
    if (load != null) {
      load.stop();
    }
    long elapsed = System.currentTimeMillis() - started;
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("seconds", EdgeLoadBenchmark.round(elapsed / 1000.0));
    double cores = (double) (process.cpuMillis() - serverCpu) / elapsed;
    result.put("serverCpuCores", EdgeLoadBenchmark.round(cores));
    result.put("driverCpuCores", EdgeLoadBenchmark.round((double) (driver.cpuMillis() - driverCpu) / elapsed));
    result.put("rssBytes", process.rssBytes());
    if (server.gcLog().isPresent()) {
      result.put("gcPauses", server.gcLog().get().pausesSince(gcMark));
    }
    if (load != null) {
      awaitQuiet(fleet.book());
      DeliveryBook book = fleet.swapBook();
      double deliveriesPerSecond = book.deliveries() * 1000.0 / elapsed;
      result.put("eventsPublished", load.published());
      result.put("eventsPublishedPerSecond", EdgeLoadBenchmark.round(load.published() * 1000.0 / elapsed));
      result.put("positionUpdatesPerSecond", EdgeLoadBenchmark.round(load.positionUpdates() * 1000.0 / elapsed));
      result.put("framesPerSecond", EdgeLoadBenchmark.round(book.frames() * 1000.0 / elapsed));
      result.put("deliveriesPerSecond", EdgeLoadBenchmark.round(deliveriesPerSecond));
      result.put("deliveriesPerSecondPerServerCore", cores > 0 ? EdgeLoadBenchmark.round(deliveriesPerSecond / cores) : 0);
      result.put("deliveriesPerEventPublished", EdgeLoadBenchmark.round((double) book.deliveries() / load.published()));
      result.put("latencyMs", book.latencies());
    }
    return result;
  }

  /** Waits for the last frames of a load: until nothing has come for {@link #QUIET_MS}, at most {@link #DRAIN_MAX_MS}. */
  private static void awaitQuiet(DeliveryBook book) throws InterruptedException {
    long deadline = System.currentTimeMillis() + DRAIN_MAX_MS;
    long frames = -1;
    long quietSince = System.currentTimeMillis();
    while (System.currentTimeMillis() < deadline && System.currentTimeMillis() - quietSince < QUIET_MS) {
      if (book.frames() != frames) {
        frames = book.frames();
        quietSince = System.currentTimeMillis();
      }
      Thread.sleep(100);
    }
  }
}
