package com.portfoliostream.benchmarks;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The soak's series and verdict, saved as docs/benchmarks/soak.{json,md}: a least-squares line
 * through each of heap after GC, resident memory, threads and open files over the minutes past
 * the warm-up; the run passes when the heap's slope is at most {@link #HEAP_SLOPE_LIMIT_BYTES}
 * per ten minutes, the node is still up, and no socket was closed by the server.
 */
final class SoakReport {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SoakReport.class);
  /** Issue #18: heap after GC may grow by at most 1 MB (10^6 bytes) per 10 minutes. */
  static final double HEAP_SLOPE_LIMIT_BYTES = 1_000_000;
  private static final double MB = 1024 * 1024;

  /** A line through (minute, value): slope per minute, intercept, points, r². */
  record Fit(double slopePerMinute, double intercept, int points, double r2, double slopeStandardError) {

    static Fit of(List<double[]> points) {
      int n = points.size();
      double mx = points.stream().mapToDouble(p -> p[0]).average().orElse(0);
      double my = points.stream().mapToDouble(p -> p[1]).average().orElse(0);
      double sxy = 0;
      double sxx = 0;
      double syy = 0;
      for (double[] p : points) {
        sxy += (p[0] - mx) * (p[1] - my);
        sxx += (p[0] - mx) * (p[0] - mx);
        syy += (p[1] - my) * (p[1] - my);
      }
      double slope = sxx == 0 ? 0 : sxy / sxx;
      double residuals = Math.max(0, syy - slope * sxy);
      double error = n > 2 && sxx > 0 ? Math.sqrt(residuals / (n - 2) / sxx) : 0;
      return new Fit(slope, my - slope * mx, n, sxx == 0 || syy == 0 ? 0 : sxy * sxy / (sxx * syy), error);
    }

    Map<String, Object> figures() {
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("slopePerTenMinutes", EdgeLoadBenchmark.round(slopePerMinute * 10));
      figures.put("intercept", EdgeLoadBenchmark.round(intercept));
      figures.put("points", points);
      figures.put("r2", EdgeLoadBenchmark.round(r2));
      figures.put("slopeStandardErrorPerTenMinutes", EdgeLoadBenchmark.round(slopeStandardError * 10));
      return figures;
    }
  }

  private SoakReport() {}

  @SuppressWarnings("unchecked")
  static void save(Map<String, Object> report) throws IOException {
    report.put("measuredAt", Instant.now().toString());
    SoakSettings run = (SoakSettings) report.get("settings");
    List<Map<String, Object>> samples = (List<Map<String, Object>>) report.get("samples");
    Map<String, Object> fits = new LinkedHashMap<>();
    for (String series : List.of("heapAfterGcBytes", "rssBytes", "threads", "openFiles")) {
      fits.put(series, fit(samples, run.warmupMinutes(), series).figures());
    }
    report.put("fits", fits);
    report.put("verdict", verdict(report, fits));
    report.put("settings", JsonObject.mapFrom(run).getMap());
    Files.createDirectories(Reports.DIR);
    Files.writeString(Reports.DIR.resolve("soak.json"), new JsonObject(report).encodePrettily() + "\n");
    String md = markdown(report, run, samples, fits);
    Files.writeString(Reports.DIR.resolve("soak.md"), md);
    LOG.info("Saved {} and soak.json:\n{}", Reports.DIR.resolve("soak.md"), md);
  }

  static Fit fit(List<Map<String, Object>> samples, int warmupMinutes, String series) {
    List<double[]> points = new ArrayList<>();
    for (Map<String, Object> sample : samples) {
      double minute = ((Number) sample.get("minute")).doubleValue();
      if (minute >= warmupMinutes && minute > 0) {
        points.add(new double[] {minute, ((Number) sample.get(series)).doubleValue()});
      }
    }
    return Fit.of(points);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> verdict(Map<String, Object> report, Map<String, Object> fits) {
    Map<String, Object> heap = (Map<String, Object>) fits.get("heapAfterGcBytes");
    double slope = ((Number) heap.get("slopePerTenMinutes")).doubleValue();
    long closed = ((Map<Integer, Long>) report.get("closedByServer")).values().stream().mapToLong(Long::longValue).sum();
    boolean alive = (Boolean) report.get("nodeAliveAtEnd");
    int points = ((Number) heap.get("points")).intValue();
    Map<String, Object> verdict = new LinkedHashMap<>();
    verdict.put("heapSlopeBytesPerTenMinutes", slope);
    verdict.put("heapSlopeWithinLimit", points >= 2 && slope <= HEAP_SLOPE_LIMIT_BYTES);
    verdict.put("socketsClosedByServer", closed);
    verdict.put("nodeAliveAtEnd", alive);
    verdict.put("pass", points >= 2 && slope <= HEAP_SLOPE_LIMIT_BYTES && closed == 0 && alive);
    return verdict;
  }

  @SuppressWarnings("unchecked")
  private static String markdown(Map<String, Object> report, SoakSettings run, List<Map<String, Object>> samples,
      Map<String, Object> fits) {
    Map<String, Object> verdict = (Map<String, Object>) report.get("verdict");
    double lastMinute = samples.isEmpty() ? 0 : ((Number) samples.get(samples.size() - 1).get("minute")).doubleValue();
    boolean tenTimesSeed = run.sockets() == 1000 && run.rate() == 10_000;
    StringBuilder md = new StringBuilder("# Soak: ").append(format(lastMinute)).append(" minutes at ")
        .append(tenTimesSeed ? "ten times the seed load" : run.sockets() + " sockets and " + run.rate() + " position updates a second");
    if (run.minutes() < 60) {
      md.append(" (a short run, not the hour the issue asks for)");
    }
    md.append("\n\nMeasured ").append(report.get("measuredAt")).append(" with `").append(report.get("command"))
        .append("` on ").append(report.get("machine")).append(".\n\n");
    String quiet = run.quietSeconds() == 0 ? "The price load runs on through the GC, so the heap includes what is in flight."
        : "The price load pauses " + run.quietSeconds() + " s before that GC and resumes after it, so the heap is "
            + "what the node keeps, not what is in flight (under load that moved by ±50 MB from minute to minute); "
            + "the orders go on.";
    md.append(SETUP.formatted(run.sockets(), run.users(), run.rate(), run.ordersPerMinute(), run.sampleSeconds(),
        quiet, run.warmupMinutes()));
    md.append("\n## Verdict: ").append(Boolean.TRUE.equals(verdict.get("pass")) ? "**pass**" : "**fail**").append("\n\n");
    md.append("| series (minutes ").append(run.warmupMinutes()).append(" on) | slope per 10 min ± standard error | r² | points | limit | met |\n")
        .append("| --- | --- | --- | --- | --- | --- |\n");
    md.append(fitRow("heap after GC", fits.get("heapAfterGcBytes"), v -> format(v / 1e6) + " MB",
        "1 MB (10^6 bytes)", Boolean.TRUE.equals(verdict.get("heapSlopeWithinLimit")) ? "yes" : "no"));
    md.append(fitRow("resident memory", fits.get("rssBytes"), v -> format(v / MB) + " MiB", "-", "-"));
    md.append(fitRow("threads", fits.get("threads"), SoakReport::format, "-", "-"));
    md.append(fitRow("open files", fits.get("openFiles"), SoakReport::format, "-", "-"));
    md.append("\nSockets closed by the server: ").append(report.get("closedByServer"))
        .append(" (close code → count; none expected). Node still up at the end: ").append(report.get("nodeAliveAtEnd"))
        .append(".\n\n");
    md.append(SERIES_HEADER);
    samples.forEach(sample -> md.append(seriesRow(sample)));
    md.append("\n").append(errors("node under test", (Map<String, Object>) report.get("nodeErrors")))
        .append("Vert.x blocked-thread warnings in the node's log: ").append(report.get("nodeBlockedThreadWarnings")).append(".\n\n")
        .append(errors("broker simulator", (Map<String, Object>) report.get("simulatorErrors")));
    md.append("\nThe node: ").append(report.get("node")).append(".\n\nSign-in: ").append(report.get("signIn"))
        .append(".\n\nSockets: ").append(report.get("sockets")).append(".\n");
    return md.toString();
  }

  private static final String SETUP = """
      The node under test runs in its own JVM with the flags of `bin/portfolio-node` (G1, \
      MaxHeapFreeRatio=30, ExitOnOutOfMemoryError) and `-Xmx2g`, roles `stream,ingest,orders`, the demo's \
      traders seeded; the broker simulator runs in another JVM; the driver (this program) plays every \
      browser and holds the embedded PostgreSQL. %d sockets of %d users, each subscribed to every channel, \
      take %d position updates a second (published on the clustered event bus by a member in the driver, \
      round robin over every user's ten positions). %d market orders a minute of one share, placed through \
      `POST /api/orders` by alice and bob in turn (each alternately buying and selling its own symbol), go \
      through the order queue to the simulator and come back as fills through ingest to their sockets; \
      each is timed from its POST to its `filled` on the socket. A trader posts one order at a time and \
      the next when its answer is in, so the orders placed show the rate the node reached.

      Every %d s a sample: first what the interval saw (the sockets' delivery latency per kind, publish to \
      receipt, one clock; the orders; the node's CPU; its GC pauses from its own GC log; its event-loop \
      delay from `event_loop_delay_ms` on its `/metrics`: a timer every 100 ms on each event loop and how \
      late it fired, p99 and max as histogram bucket bounds), then heap in use right after a full GC that \
      the sample forces with `jcmd GC.run` (G1 full collection: the live set itself; \
      `jvm_gc_live_data_size_bytes` moves only after a concurrent cycle, which G1 seldom runs at this heap, \
      and a young collection's after-figure carries old garbage not yet collected), then resident memory \
      (VmRSS), threads and open file descriptors (/proc/<pid>/fd) after it. %s The forced collection's pause is \
      shown; it falls into the next interval's latency and loop delay. The fits leave out the first %d \
      minutes (warm-up: JIT, pools, caches filling). The machine is shared: its load average is in the last \
      column, and latency figures taken while other work held the cores say more of the machine than of the node.
      """;

  private static final String SERIES_HEADER = """
      ## Series

      | minute | heap after GC MiB | RSS MiB | threads | fds | CPU cores | loop delay mean / p99 / max ms \
      | price p50 / p95 / p99 ms | deliveries/s | orders placed / filled | order p50 / p99 ms | GC pauses (max ms) \
      | forced GC ms | machine load 1 min |
      | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
      """;

  @SuppressWarnings("unchecked")
  private static String seriesRow(Map<String, Object> s) {
    Map<String, Object> loop = (Map<String, Object>) s.get("eventLoopDelay");
    Map<String, Long> price = ((Map<String, Map<String, Long>>) s.get("latencyMs"))
        .getOrDefault(FrameScanner.POSITION_PRICE, Map.of());
    Map<String, Object> orders = (Map<String, Object>) s.get("orders");
    Map<String, Long> fill = (Map<String, Long>) orders.get("submitToFilledMs");
    Map<String, Object> gc = (Map<String, Object>) s.get("gcPauses");
    Map<String, Object> forced = (Map<String, Object>) s.get("forcedGc");
    return "| " + s.get("minute") + " | " + format(((Number) s.get("heapAfterGcBytes")).doubleValue() / MB) + " | "
        + format(((Number) s.get("rssBytes")).doubleValue() / MB) + " | " + s.get("threads") + " | " + s.get("openFiles")
        + " | " + s.get("nodeCpuCores") + " | " + loop.get("meanMs") + " / " + loop.get("p99Ms") + " / " + loop.get("maxMs")
        + " | " + price.get("p50") + " / " + price.get("p95") + " / " + price.get("p99") + " | " + s.get("deliveriesPerSecond")
        + " | " + orders.get("placed") + " / " + orders.get("filled") + " | " + fill.get("p50") + " / " + fill.get("p99")
        + " | " + gc.get("count") + " (" + gc.get("maxMs") + ") | " + forced.get("maxMs") + " | " + s.get("loadAverage1m") + " |\n";
  }

  @SuppressWarnings("unchecked")
  private static String fitRow(String name, Object fit, Function<Double, String> unit, String limit, String met) {
    Map<String, Object> figures = (Map<String, Object>) fit;
    return "| " + name + " | " + unit.apply(((Number) figures.get("slopePerTenMinutes")).doubleValue()) + " ± "
        + unit.apply(((Number) figures.get("slopeStandardErrorPerTenMinutes")).doubleValue()) + " | "
        + figures.get("r2") + " | " + figures.get("points") + " | " + limit + " | " + met + " |\n";
  }

  @SuppressWarnings("unchecked")
  private static String errors(String who, Map<String, Object> errors) {
    StringBuilder md = new StringBuilder("ERROR lines in the log of the " + who + ": " + errors.get("count") + ".\n");
    ((Map<String, Long>) errors.get("byMessage")).forEach((message, count) ->
        md.append("- ").append(count).append(" × `").append(message.replace("`", "'")).append("`\n"));
    return md.append("\n").toString();
  }

  private static String format(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }
}
