package com.portfoliostream.benchmarks;

import com.portfoliostream.testkit.FreePorts;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The order issue's benchmark: a whole node in its own JVM ({@code ROLES=all}: edge, order queue,
 * ingest, and the broker simulator with its market ticking), one trader signed in with a socket
 * subscribed to orders; {@code POST /api/orders} market orders one after another, each timed from
 * the moment the request is sent to the moment the socket delivers that order's
 * {@code order_update} with status {@code filled}: REST, the queue's transaction, the worker, the
 * broker's REST and its trading stream, ingest's fill transaction, the bus and the batching edge.
 *
 * <p>Usage: {@code bin/benchmark-orders [orders=1000]}; saves docs/benchmarks/order-fill.{json,md}.
 */
public final class OrderFillBenchmark {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OrderFillBenchmark.class);
  private static final int WARM_UP_ORDERS = 100;

  public static void main(String[] args) throws Exception {
    int orders = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    run(orders);
    System.exit(0);
  }

  private static void run(int orders) throws Exception {
    int port = FreePorts.free();
    Path dataDir = Files.createTempDirectory("order-bench");
    int clusterPort = FreePorts.free();
    Map<String, String> env = Map.of("ROLES", "all", "PORT", Integer.toString(port),
        "SIM_PORT", Integer.toString(FreePorts.free()), "ADMIN_PORT", "0",
        "DATA_DIR", dataDir.toString(), "CLUSTER_NAME", "order-bench-" + UUID.randomUUID(),
        "CLUSTER_PORT", Integer.toString(clusterPort), "CLUSTER_MEMBERS", "127.0.0.1:" + clusterPort,
        "SIM_REQUESTS_PER_MINUTE", "1000000", "DEMO_PASSWORD", EdgeLoadBenchmark.PASSWORD);
    env = new java.util.HashMap<>(env);
    // One user places every order of the benchmark: lift the per-user quotas for it.
    env.put("ORDER_RATE_PER_MINUTE", "100000");
    env.put("MAX_OPEN_ORDERS_PER_USER", "100000");
    Vertx vertx = Vertx.vertx();
    try (MeasuredNode node = new MeasuredNode(env)) {
      node.awaitUp();
      OrderTrader alice = OrderTrader.signIn(vertx, port, "alice", EdgeLoadBenchmark.PASSWORD);
      alice.openSocket("[\"orders\"]");
      LOG.info("Warming up with {} orders", WARM_UP_ORDERS);
      measure(alice, WARM_UP_ORDERS);
      LOG.info("Measuring {} orders", orders);
      long cpuBefore = node.cpuMillis();
      long started = System.nanoTime();
      List<Long> micros = measure(alice, orders);
      double seconds = (System.nanoTime() - started) / 1e9;
      save(orders, micros, seconds, (node.cpuMillis() - cpuBefore) / 1000.0 / seconds);
      alice.close();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** Market orders one at a time, alternately buying and selling one share; microseconds per order. */
  private static List<Long> measure(OrderTrader trader, int orders) throws Exception {
    List<Long> micros = new ArrayList<>();
    for (int i = 0; i < orders; i++) {
      long sent = System.nanoTime();
      String orderId = trader.place("AAPL", i % 2 == 0 ? "buy" : "sell", "1")
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      long filledAt = trader.filled(orderId).get(30, TimeUnit.SECONDS);
      micros.add((filledAt - sent) / 1_000);
      trader.forget(orderId);
    }
    return micros;
  }

  private static void save(int orders, List<Long> micros, double seconds, double cores) throws Exception {
    List<Long> sorted = new ArrayList<>(micros);
    Collections.sort(sorted);
    Map<String, Long> stats = LatencyBook.summarize(sorted);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("measuredAt", Instant.now().toString());
    report.put("command", "bin/benchmark-orders " + orders);
    report.put("machine", Machine.describe());
    report.put("orders", orders);
    report.put("warmUpOrders", WARM_UP_ORDERS);
    report.put("submitToFilledMicros", stats);
    report.put("ordersPerSecond", Math.round(orders / seconds * 10) / 10.0);
    report.put("nodeCpuCoresUsed", Math.round(cores * 100) / 100.0);
    Files.createDirectories(Reports.DIR);
    Files.writeString(Reports.DIR.resolve("order-fill.json"), new JsonObject(report).encodePrettily() + "\n");
    String md = "# Order submit to fill benchmark\n\n"
        + "Measured " + report.get("measuredAt") + " with `" + report.get("command") + "` on " + report.get("machine")
        + ".\n\n"
        + "One node in its own JVM with every role (edge, order queue, ingest, broker simulator whose market ticks "
        + "every second), one signed-in trader with a socket subscribed to orders. " + orders + " market orders of "
        + "one AAPL share, alternately bought and sold, one at a time after " + WARM_UP_ORDERS + " unrecorded ones; "
        + "each timed from sending `POST /api/orders` to the socket delivering that order's `order_update` "
        + "with status `filled`: REST and the order and job transaction, the worker woken over the bus, the broker's "
        + "REST and trading stream, ingest's fill transaction, the event bus and the batching edge.\n\n"
        + "| orders | p50 ms | p95 ms | p99 ms | max ms | orders/s | node CPU cores |\n| --- | --- | --- | --- | --- | --- | --- |\n"
        + "| " + stats.get("count") + " | " + ms(stats.get("p50")) + " | " + ms(stats.get("p95")) + " | "
        + ms(stats.get("p99")) + " | " + ms(stats.get("max")) + " | " + report.get("ordersPerSecond") + " | "
        + report.get("nodeCpuCoresUsed") + " |\n\n"
        + "Target (issue): p99 ≤ 100 ms on this machine (the seed asks 500 ms): "
        + (stats.get("p99") <= 100_000 ? "**met**" : "**missed**") + ".\n";
    Files.writeString(Reports.DIR.resolve("order-fill.md"), md);
    LOG.info("Saved {}:\n{}", Reports.DIR.resolve("order-fill.md"), md);
  }

  private static String ms(long micros) {
    return String.format(java.util.Locale.ROOT, "%.1f", micros / 1000.0);
  }
}
