package com.portfoliostream.benchmarks;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes the figures as JSON and as a markdown table with each target checked. */
final class Reports {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Reports.class);
  static final Path DIR = Path.of(System.getProperty("benchmarks.dir", "docs/benchmarks"));

  /** The analysis of the targets this design misses on purpose (see the closing note of #4). */
  private static final String WHY_MISSED = """
## Why two targets are missed

- Sparse price updates (p95 ≤ 500 ms): each position ticks at its own rate of 1-100 a minute, so a
  user's ten positions tick about eight times a second together and the user's window is almost
  never quiet; an update then waits on average half a window (p50 ≈ 420 ms, p95 ≈ 900 ms with the
  default 1 s window). A window of 500 ms would meet this target but gives about 80 % fewer frames
  instead of 90 % in the prices-only phase: at these rates the two targets conflict, and the
  default keeps the reduction. `BATCH_WINDOW_MS` lets an operator choose.
- "Never older than one window" (1000 ms): the few milliseconds over are the event bus and socket
  transport after the window closes, not batching.
      """;

  private Reports() {}

  @SuppressWarnings("unchecked")
  static void save(Map<String, Object> report) throws IOException {
    report.put("measuredAt", Instant.now().toString());
    Files.createDirectories(DIR);
    JsonObject json = new JsonObject(report);
    Files.writeString(DIR.resolve("edge-batching.json"), json.encodePrettily() + "\n");
    StringBuilder md = new StringBuilder();
    md.append("# Edge batching benchmark\n\n");
    md.append("Measured ").append(report.get("measuredAt")).append(" with `").append(report.get("command"))
        .append("` on ").append(report.get("machine")).append(".\n\n");
    md.append("A real stream node in its own JVM; 100 sockets, one per user, each user with 10 positions; ")
        .append("events published on the clustered event bus by another cluster member; latency is from the ")
        .append("broker time stamped on each event to its receipt by the client (same clock). ")
        .append(report.get("warmUpSeconds")).append(" s of unrecorded load come first.\n\n");
    for (String phase : List.of("continuous", "pricesOnly", "sparse")) {
      Map<String, Object> figures = (Map<String, Object>) report.get(phase);
      md.append("## ").append(phase).append(" phase\n\n");
      md.append("| kind | count | p50 ms | p95 ms | p99 ms | max ms |\n| --- | --- | --- | --- | --- | --- |\n");
      Map<String, Map<String, Long>> latency = (Map<String, Map<String, Long>>) figures.get("latencyMs");
      latency.forEach((kind, row) -> md.append("| ").append(kind).append(" | ").append(row.get("count"))
          .append(" | ").append(row.get("p50")).append(" | ").append(row.get("p95")).append(" | ")
          .append(row.get("p99")).append(" | ").append(row.get("max")).append(" |\n"));
      md.append("\n| figure | value |\n| --- | --- |\n");
      for (String key : List.of("seconds", "eventsPublished", "positionUpdatesPerSecond", "framesReceived",
          "framesPerSecondPerUser", "framesPerEvent", "reductionPercent", "edgeCpuCoresUsed")) {
        md.append("| ").append(key).append(" | ").append(figures.get(key)).append(" |\n");
      }
      md.append("\n");
    }
    md.append("## Memory\n\n| figure | bytes |\n| --- | --- |\n")
        .append("| edge bookkeeping per idle socket (registry, connection, subscription, limits) | ")
        .append(report.get("bookkeepingPerIdleSocketBytes")).append(" |\n")
        .append("| whole edge process heap per idle socket (after full GC, includes Vert.x and Netty) | ")
        .append(report.get("heapPerIdleSocketBytesWholeProcess")).append(" |\n\n");
    md.append("## Targets\n\n| target | measured | met |\n| --- | --- | --- |\n");
    for (String line : targets(report)) {
      md.append(line).append("\n");
    }
    md.append(WHY_MISSED);
    Files.writeString(DIR.resolve("edge-batching.md"), md.toString());
    LOG.info("Saved {} and edge-batching.json:\n{}", DIR.resolve("edge-batching.md"), md);
  }

  @SuppressWarnings("unchecked")
  private static List<String> targets(Map<String, Object> report) {
    Map<String, Object> continuous = (Map<String, Object>) report.get("continuous");
    Map<String, Object> sparse = (Map<String, Object>) report.get("sparse");
    Map<String, Object> pricesOnly = (Map<String, Object>) report.get("pricesOnly");
    Map<String, Map<String, Long>> cl = (Map<String, Map<String, Long>>) continuous.get("latencyMs");
    Map<String, Map<String, Long>> sl = (Map<String, Map<String, Long>>) sparse.get("latencyMs");
    List<String> lines = new ArrayList<>();
    for (String kind : List.of("order_update", "trade_executed", "position_update (fill)", "account_update (fill)")) {
      lines.add(check(kind + " p99 ≤ 100 ms", value(cl, kind, "p99"), 100, "ms"));
    }
    lines.add(check("price position_update p95 ≤ 500 ms at 1-100 ticks/min", value(sl, "position_update (price)", "p95"), 500, "ms"));
    lines.add(check("price position_update never older than one window (1000 ms), continuous",
        value(cl, "position_update (price)", "max"), 1000, "ms"));
    double reduction = ((Number) pricesOnly.get("reductionPercent")).doubleValue();
    lines.add("| ≥ 90 % fewer frames than events (prices only: 10 positions each updating every second) | " + reduction + " % | "
        + (reduction >= 90 ? "yes" : "no, short by " + EdgeLoadBenchmark.round(90 - reduction) + " points") + " |");
    lines.add(check("bookkeeping < 1 KB per idle socket",
        ((Number) report.get("bookkeepingPerIdleSocketBytes")).longValue(), 1023, "bytes"));
    return lines;
  }

  private static long value(Map<String, Map<String, Long>> latency, String kind, String stat) {
    Map<String, Long> row = latency.get(kind);
    return row == null || row.get(stat) == null ? -1 : row.get(stat);
  }

  private static String check(String target, long measured, long bound, String unit) {
    boolean met = measured >= 0 && measured <= bound;
    return "| " + target + " | " + measured + " " + unit + " | "
        + (met ? "yes" : measured < 0 ? "no data" : "no, over by " + (measured - bound) + " " + unit) + " |";
  }
}
