package com.portfoliostream.benchmarks;

import com.portfoliostream.testkit.FreePorts;
import com.portfoliostream.common.bus.UserEventBus;
import com.portfoliostream.common.cluster.ClusterBootstrap;
import com.portfoliostream.common.config.ConfigLoader;
import com.portfoliostream.common.config.NodeConfig;
import com.portfoliostream.common.db.Database;
import com.portfoliostream.common.db.PgPools;
import com.portfoliostream.common.security.CredentialCipher;
import com.portfoliostream.common.security.PasswordHashing;
import com.portfoliostream.events.model.Account;
import com.portfoliostream.events.model.Order;
import com.portfoliostream.events.model.OrderSide;
import com.portfoliostream.events.model.OrderStatus;
import com.portfoliostream.events.model.OrderType;
import com.portfoliostream.events.model.Position;
import com.portfoliostream.events.model.PositionSide;
import com.portfoliostream.events.model.TimeInForce;
import com.portfoliostream.events.model.Trade;
import com.portfoliostream.events.protocol.ServerEvents;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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
    int edgePort = FreePorts.free();
    int edgeCluster = FreePorts.free();
    int driverCluster = FreePorts.free();
    String members = "127.0.0.1:" + edgeCluster + ",127.0.0.1:" + driverCluster;
    String clusterName = "bench-" + UUID.randomUUID();
    Map<String, String> env = new HashMap<>(Map.of("ROLES", "stream", "PORT", Integer.toString(edgePort),
        "DATABASE_URL", "postgresql://postgres@127.0.0.1:" + database.url().port() + "/" + database.url().database(),
        "CREDENTIALS_KEY", CredentialCipher.generateKey(), "CLUSTER_NAME", clusterName,
        "CLUSTER_PORT", Integer.toString(edgeCluster), "CLUSTER_MEMBERS", members,
        "MAX_CONNECTIONS", "500", "DEMO", "false"));
    env.put("DATA_DIR", Files.createTempDirectory("edge-bench-node").toString());
    env.put("ADMIN_PORT", "0");

    NodeConfig driverConfig = ConfigLoader.load(Map.of("CLUSTER_NAME", clusterName, "CLUSTER_MEMBERS", members,
        "CLUSTER_PORT", Integer.toString(driverCluster), "ROLES", "ingest"));
    Vertx driver = ClusterBootstrap.start(driverConfig, new VertxOptions(), ClusterBootstrap.clusterManager(driverConfig))
        .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    Pool pool = PgPools.create(driver, database.url(), 4);
    List<UUID> users = createUsers(pool);
    Vertx clientVertx = Vertx.vertx();
    Map<String, Object> report = new LinkedHashMap<>();
    try (MeasuredNode edge = new MeasuredNode(env)) {
      edge.awaitUp();
      log("edge node up on port %d; signing in %d users", edgePort, USERS);
      List<BenchClient> clients = new ArrayList<>();
      for (int u = 0; u < USERS; u++) {
        clients.add(BenchClient.signIn(clientVertx, edgePort, "bench" + u, PASSWORD));
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
    } finally {
      clientVertx.close();
      driver.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    Reports.save(report);
  }

  /** Drives one phase and returns its figures. */
  private Map<String, Object> phase(MeasuredNode edge, Vertx driver, List<UUID> users, List<BenchClient> clients,
      int seconds, boolean sparse, boolean pricesOnly) throws Exception {
    clients.forEach(BenchClient::reset);
    log("%s phase: %d s", sparse ? "sparse" : pricesOnly ? "prices-only" : "continuous", seconds);
    Load load = new Load(driver, users, sparse, pricesOnly);
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

  private static List<UUID> createUsers(Pool pool) throws Exception {
    String hash = new PasswordHashing().hash(PASSWORD);
    List<UUID> ids = new ArrayList<>();
    for (int u = 0; u < USERS; u++) {
      ids.add(pool.preparedQuery("INSERT INTO users (username, password_hash, role) VALUES ($1, $2, 'trader') RETURNING id")
          .execute(Tuple.of("bench" + u, hash)).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS)
          .iterator().next().getUUID("id"));
    }
    return ids;
  }

  static double round(double value) {
    return Math.round(value * 100.0) / 100.0;
  }

  static void log(String format, Object... args) {
    LOG.info(String.format(format, args));
  }

  /** Publishes the load on the driver's event loop: prices, orders, fills. */
  static final class Load {
    private final Vertx vertx;
    private final List<UUID> users;
    private final boolean sparse;
    private final boolean pricesOnly;
    private final Random random = new Random(11);
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong positionUpdates = new AtomicLong();
    /** Shared by every phase: a version must keep growing, or the edge rightly drops it as stale. */
    private static final Map<String, Long> versions = new java.util.concurrent.ConcurrentHashMap<>();
    private final long[] nextTick = new long[USERS * POSITIONS];
    private final long[] intervalMs = new long[USERS * POSITIONS];
    private final List<Long> timers = new ArrayList<>();
    private int cursor;

    Load(Vertx vertx, List<UUID> users, boolean sparse, boolean pricesOnly) {
      this.vertx = vertx;
      this.users = users;
      this.sparse = sparse;
      this.pricesOnly = pricesOnly;
      long now = System.currentTimeMillis();
      for (int i = 0; i < nextTick.length; i++) {
        intervalMs[i] = 60_000L / (1 + random.nextInt(100));
        nextTick[i] = now + random.nextInt((int) intervalMs[i]);
      }
    }

    void start() {
      timers.add(vertx.setPeriodic(10, id -> {
        if (sparse) {
          sparseTicks();
        } else {
          continuousTicks();
        }
      }));
      if (!sparse && !pricesOnly) {
        timers.add(vertx.setPeriodic(50, id -> order(users.get(random.nextInt(users.size())), OrderStatus.NEW)));
        timers.add(vertx.setPeriodic(100, id -> fill(users.get(random.nextInt(users.size())))));
      }
    }

    void stop() {
      timers.forEach(vertx::cancelTimer);
    }

    long published() {
      return published.get();
    }

    long positionUpdates() {
      return positionUpdates.get();
    }

    /** 10 updates every 10 ms, round robin over every user's every position: 1000 a second. */
    private void continuousTicks() {
      for (int i = 0; i < 10; i++) {
        int slot = cursor++ % (USERS * POSITIONS);
        price(slot, false);
      }
    }

    /** Each position ticks at its own rate between 1 and 100 a minute. */
    private void sparseTicks() {
      long now = System.currentTimeMillis();
      for (int slot = 0; slot < nextTick.length; slot++) {
        if (nextTick[slot] <= now) {
          nextTick[slot] = now + intervalMs[slot];
          price(slot, false);
        }
      }
    }

    private void price(int slot, boolean fill) {
      UUID user = users.get(slot / POSITIONS);
      String symbol = "S" + (slot % POSITIONS);
      Instant now = Instant.now();
      long version = versions.merge(user + symbol, 1L, Long::sum);
      Position position = new Position(symbol, BigDecimal.TEN, version % 2 == 0 ? new BigDecimal("100.50") : new BigDecimal("99.50"),
          new BigDecimal("100.00"), null, null, null, PositionSide.LONG, fill ? "fill" : null, now, now, version);
      publish(ServerEvents.positionUpdate(user.toString(), position, now), fill);
      positionUpdates.incrementAndGet();
    }

    private void order(UUID user, OrderStatus status) {
      Instant now = Instant.now();
      String id = UUID.randomUUID().toString();
      publish(ServerEvents.orderUpdate(user.toString(), new Order(id, null, "S0", OrderSide.BUY, OrderType.MARKET,
          TimeInForce.DAY, status, BigDecimal.ONE, status == OrderStatus.FILLED ? BigDecimal.ONE : BigDecimal.ZERO,
          null, null, null, now, null, null, null, null, now, 1L), now), false);
    }

    /** A fill: the order, the trade, the position and the account it changes. */
    private void fill(UUID user) {
      Instant now = Instant.now();
      order(user, OrderStatus.FILLED);
      publish(ServerEvents.tradeExecuted(user.toString(), new Trade(UUID.randomUUID().toString(), null, "S0",
          OrderSide.BUY, BigDecimal.ONE, new BigDecimal("100.00"), null, now, null), now), true);
      price(users.indexOf(user) * POSITIONS, true);
      long version = versions.merge(user + "account", 1L, Long::sum);
      publish(ServerEvents.accountUpdate(user.toString(), new Account(new BigDecimal("100000.00"),
          new BigDecimal("200000.00"), new BigDecimal("50000.00"), new BigDecimal("100000.00"), BigDecimal.ZERO,
          BigDecimal.ZERO, new BigDecimal("100000.00"), now, version), now), true);
    }

    private void publish(com.portfoliostream.events.protocol.ServerEvent event, boolean fill) {
      UserEventBus.publish(vertx, event, fill ? UserEventBus.Meta.fill(Instant.now()) : UserEventBus.Meta.of(Instant.now()));
      published.incrementAndGet();
    }
  }
}
