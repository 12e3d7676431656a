package com.portfoliostream.benchmarks;

import com.portfoliostream.testkit.FreePorts;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The hardening issue's fuzz program: a real node in its own JVM (every role, the simulator as
 * broker, an embedded database, loopback only) takes hostile WebSocket frames from two signed-in
 * users and from unauthenticated upgrades, and hostile HTTP requests, while a clean user pings
 * its socket every 100 ms. Targets: no 5xx (nor a 1011 close or INTERNAL_ERROR message), no
 * ERROR line in the node's log, no crash. Saves docs/benchmarks/edge-fuzz.{json,md}; exits 1 when a
 * target is missed.
 *
 * <p>Usage: {@code bin/fuzz-edge [frames=100000] [requests=20000]}; {@code bin/fuzz-edge 2000 500}
 * is the quick run.
 */
public final class EdgeFuzz {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EdgeFuzz.class);
  private static final long SEED = 15;
  /** Socket workers per hostile user: under the per-user limit of 5 sockets, with room for closes in flight. */
  private static final int SOCKET_WORKERS_PER_USER = 3;
  private static final int REQUEST_WORKERS = 12;
  private final FuzzTally tally = new FuzzTally();

  public static void main(String[] args) throws Exception {
    long frames = args.length > 0 ? Long.parseLong(args[0]) : 100_000;
    long requests = args.length > 1 ? Long.parseLong(args[1]) : 20_000;
    System.exit(new EdgeFuzz().run(frames, requests) ? 0 : 1);
  }

  private boolean run(long frames, long requests) throws Exception {
    int port = FreePorts.free();
    Vertx vertx = Vertx.vertx();
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("command", "bin/fuzz-edge " + frames + " " + requests);
    report.put("machine", Machine.describe());
    try (MeasuredNode node = new MeasuredNode(env(port))) {
      node.awaitUp();
      CleanWatcher clean = new CleanWatcher(vertx);
      clean.open(port, FuzzSession.signIn(port, "alice", EdgeLoadBenchmark.PASSWORD));
      List<FuzzSession> socketUsers = List.of(FuzzSession.signIn(port, "bob", EdgeLoadBenchmark.PASSWORD),
          FuzzSession.signIn(port, "admin", EdgeLoadBenchmark.PASSWORD));
      List<FuzzSession> requestSessions = new ArrayList<>();
      for (int i = 0; i < REQUEST_WORKERS; i++) {
        requestSessions.add(FuzzSession.signIn(port, "bob", EdgeLoadBenchmark.PASSWORD));
      }
      Thread.sleep(2_000);
      long heapBefore = node.heapUsedAfterGc();
      clean.startPinging();
      long started = System.currentTimeMillis();
      List<Thread> workers = new ArrayList<>(new FrameFuzzer(port, frames, tally, socketUsers).start(SEED, SOCKET_WORKERS_PER_USER));
      workers.addAll(new RequestFuzzer(port, requests, tally, requestSessions).start(SEED * 1000));
      boolean crashed = awaitWorkers(node, workers);
      report.put("seconds", (System.currentTimeMillis() - started) / 1000);
      Thread.sleep(3_000);
      report.put("cleanUser", clean.stop());
      clean.close();
      crashed |= !node.alive();
      report.put("heapAfterGcBytes", Map.of("before", heapBefore, "after", crashed ? -1 : node.heapUsedAfterGc()));
      report.put("crashes", crashed ? 1 : 0);
      report.putAll(figures());
      report.put("errorLines", NodeLog.errors(node.output()));
      report.put("warnLines", NodeLog.count(node.output(), " WARN "));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    return FuzzReport.save(report);
  }

  /** Waits for the fuzzers, logging progress; true when the node died meanwhile. */
  private boolean awaitWorkers(MeasuredNode node, List<Thread> workers) throws InterruptedException {
    while (workers.stream().anyMatch(Thread::isAlive)) {
      if (!node.alive()) {
        LOG.error("The node died");
        workers.forEach(Thread::interrupt);
        return true;
      }
      LOG.info("sent {} frames and {} requests; {} server faults so far", tally.framesSent.get(),
          tally.requestsSent.get(), tally.serverErrors.get());
      for (Thread worker : workers) {
        worker.join(5_000);
        if (worker.isAlive()) {
          break;
        }
      }
    }
    return false;
  }

  private Map<String, Object> figures() {
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("framesSent", tally.framesSent.get());
    figures.put("framesSentUnauthenticated", tally.framesSentUnauthenticated.get());
    figures.put("upgradeAttempts", tally.upgradeAttempts.get());
    figures.put("socketsOpened", tally.socketsOpened.get());
    figures.put("requestsSent", tally.requestsSent.get());
    figures.put("requestsUnanswered", tally.requestsUnanswered.get());
    figures.put("unansweredByKind", tally.unansweredByKind());
    figures.put("serverFaults", tally.serverErrors.get());
    figures.put("httpStatuses", tally.httpStatuses());
    figures.put("closeCodes", tally.closeCodes());
    figures.put("closeCodesByLastKind", tally.closeCodesByLastKind());
    figures.put("sentByKind", tally.kindsSent());
    figures.put("faults", tally.findings());
    return figures;
  }

  private static Map<String, String> env(int port) throws Exception {
    int cluster = FreePorts.free();
    Map<String, String> env = new HashMap<>(Map.of("ROLES", "all", "PORT", Integer.toString(port),
        "SIM_PORT", Integer.toString(FreePorts.free()), "ADMIN_PORT", "0",
        "DATA_DIR", Files.createTempDirectory("edge-fuzz").toString(), "CLUSTER_NAME", "edge-fuzz-" + UUID.randomUUID(),
        "CLUSTER_PORT", Integer.toString(cluster), "CLUSTER_MEMBERS", "127.0.0.1:" + cluster,
        "DEMO_PASSWORD", EdgeLoadBenchmark.PASSWORD));
    return env;
  }
}
