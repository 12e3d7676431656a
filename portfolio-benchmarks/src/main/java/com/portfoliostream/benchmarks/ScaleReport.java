package com.portfoliostream.benchmarks;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Writes the scale benchmark's figures as docs/benchmarks/(report).{json,md}, scale by default: one table, the servers side by side. */
final class ScaleReport {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ScaleReport.class);
  /** Below this many sockets a run checks the program, and its figures say nothing of scale. */
  static final int VALIDATION_BELOW_SOCKETS = 1000;

  private static final String HOW = """
      Each server runs in a process of its own on this machine; one driver JVM (Vert.x, two event
      loops, no thread per socket) plays every browser against both, with the same users, sockets
      and load, one server after the other. Users are created through the product's
      `UserAccounts`; the peer is given the same rows (PBKDF2-HMAC-SHA512 hashes with the same
      iteration count, checked with node's asynchronous `crypto.pbkdf2`). One sign-in and one
      socket of another user warm each server up first, uncounted. Every socket subscribes
      to every channel; its time to snapshot runs from the connect to the snapshot's arrival. The
      idle phase sends nothing (heartbeats only). The load spreads position updates over each
      second round robin over every user's positions, with orders and fills (a fill is an order,
      a trade, a position and an account update, sent at once by both servers); each entity
      carries its publish time, and latency is its receipt minus that time (one clock); a load's
      last frames are waited for until the sockets have been quiet for 1.5 s. A delivery
      is one entity received by one socket; per core is deliveries a second over the server's CPU
      cores under load. Heap in use and resident memory (/proc) are read right after a full GC
      (jcmd GC.run for the JVM, `global.gc()` for node), before the sockets open and at the end of
      the idle phase; per socket is the growth over the sockets open. Under load, resident memory
      is read at the end of the phase, without a GC.
      """;

  private static final String DIFFERENCES = """
      ## What differs between the two, on purpose

      - Our edge reads each snapshot from PostgreSQL (these users own no rows, so it is empty);
        the peer keeps no portfolio and sends an empty snapshot from memory.
      - Our edge encodes a user's frame once and numbers (`seq`) and filters (channels, symbols)
        it per socket; the peer's room broadcast encodes a frame once per user, numbers it per
        user, and filters nothing.
      - Our edge serves sockets on every core (EDGE_EVENT_LOOPS, one loop per core by default);
        the peer is one node process, one thread (libuv's pool for the hashes): more cores would
        take node's cluster mode and an adapter between the processes.
      - Our edge counts sockets per user across the cluster (PostgreSQL slots under node leases),
        checks sessions in PostgreSQL and bounds every socket's queue; the peer counts per process
        in memory and trusts a signed cookie.
      - Our node takes its events from the clustered event bus; the peer from JSON lines on a
        loopback port.
      """;

  private ScaleReport() {}

  @SuppressWarnings("unchecked")
  static void save(Map<String, Object> report) throws IOException {
    report.put("measuredAt", Instant.now().toString());
    Map<String, Object> settings = (Map<String, Object>) report.get("settings");
    boolean validation = ((Number) settings.get("sockets")).intValue() < VALIDATION_BELOW_SOCKETS;
    report.put("validationRun", validation);
    Files.createDirectories(Reports.DIR);
    String name = (String) report.get("report");
    Files.writeString(Reports.DIR.resolve(name + ".json"), new JsonObject(report).encodePrettily() + "\n");
    Map<String, Map<String, Object>> servers = (Map<String, Map<String, Object>>) report.get("servers");
    StringBuilder md = new StringBuilder("# Scale benchmark: our stream edge beside a Socket.IO server")
        .append(validation ? " (validation run: too few sockets to say anything of scale)" : "").append("\n\n");
    md.append("Measured ").append(report.get("measuredAt")).append(" with `").append(report.get("command"))
        .append("` on ").append(report.get("machine")).append(".\n\n").append(HOW.replace("\n", " ").trim()).append("\n\n");
    md.append("## Settings\n\n| setting | value |\n| --- | --- |\n");
    settings.forEach((key, value) -> md.append(row(key, String.valueOf(value))));
    md.append(row("users created", String.valueOf(report.get("usersCreated"))));
    md.append("\n| started with | ").append(String.join(" | ", servers.keySet())).append(" |\n")
        .append("| --- |").append(" --- |".repeat(servers.size())).append("\n");
    md.append(sideBySide(servers, "server", s -> s.get("settings")));
    md.append("\n## Side by side\n\n| figure | ").append(String.join(" | ", servers.keySet())).append(" |\n")
        .append("| --- |").append(" --- |".repeat(servers.size())).append("\n");
    for (String line : figures(servers)) {
      md.append(line);
    }
    md.append(ceilings(servers));
    md.append("\n").append(DIFFERENCES);
    Files.writeString(Reports.DIR.resolve(name + ".md"), md.toString());
    LOG.info("Saved {} and {}.json:\n{}", Reports.DIR.resolve(name + ".md"), name, md);
  }

  @SuppressWarnings("unchecked")
  private static List<String> figures(Map<String, Map<String, Object>> servers) {
    List<String> rows = new ArrayList<>();
    rows.add(sideBySide(servers, "sockets open (of those tried)", s -> part(s, "sockets", "opened") + " of " + part(s, "sockets", "sockets")));
    rows.add(sideBySide(servers, "sign-ins a second", s -> part(s, "signIn", "signInsPerSecond")));
    rows.add(sideBySide(servers, "time to snapshot p50 / p95 / max, ms", s -> percentiles(
        (Map<String, Long>) ((Map<String, Object>) s.get("sockets")).get("msToSnapshot"), "p50", "p95", "max")));
    rows.add(sideBySide(servers, "server CPU idle, cores", s -> part(s, "idle", "serverCpuCores")));
    rows.add(sideBySide(servers, "server CPU under load, cores", s -> part(s, "load", "serverCpuCores")));
    rows.add(sideBySide(servers, "driver CPU idle / under load, cores", s -> part(s, "idle", "driverCpuCores") + " / "
        + part(s, "load", "driverCpuCores")));
    rows.add(sideBySide(servers, "RSS before sockets / with sockets (after GC) / under load, MB", s -> mb(part(s, "memory", "rssBeforeSocketsBytes"))
        + " / " + mb(part(s, "memory", "rssWithSocketsBytes")) + " / " + mb(part(s, "load", "rssBytes"))));
    rows.add(sideBySide(servers, "RSS per socket, KB", s -> kb(part(s, "memory", "rssPerSocketBytes"))));
    rows.add(sideBySide(servers, "heap after GC before / with sockets, MB", s -> mb(part(s, "memory", "heapAfterGcBeforeSocketsBytes"))
        + " / " + mb(part(s, "memory", "heapAfterGcWithSocketsBytes"))));
    rows.add(sideBySide(servers, "heap per socket, KB", s -> kb(part(s, "memory", "heapPerSocketBytes"))));
    rows.add(sideBySide(servers, "events published a second", s -> part(s, "load", "eventsPublishedPerSecond")));
    rows.add(sideBySide(servers, "frames a second (all sockets)", s -> part(s, "load", "framesPerSecond")));
    rows.add(sideBySide(servers, "deliveries a second (entities received by sockets)", s -> part(s, "load", "deliveriesPerSecond")));
    rows.add(sideBySide(servers, "deliveries per event published (sockets of its user, less what a window merged)",
        s -> part(s, "load", "deliveriesPerEventPublished")));
    rows.add(sideBySide(servers, "**deliveries a second per server core**", s -> "**" + part(s, "load", "deliveriesPerSecondPerServerCore") + "**"));
    for (String kind : DeliveryBook.KINDS) {
      rows.add(sideBySide(servers, kind + " latency p50 / p95 / p99 / max, ms (count)", s -> {
        Map<String, Long> latency = ((Map<String, Map<String, Long>>) ((Map<String, Object>) s.get("load")).get("latencyMs")).get(kind);
        return latency == null ? "none" : percentiles(latency, "p50", "p95", "p99", "max") + " (" + latency.get("count") + ")";
      }));
    }
    rows.add(sideBySide(servers, "GC pauses under load: count / total / p50 / p99 / max, ms", s -> {
      Map<String, Object> gc = (Map<String, Object>) ((Map<String, Object>) s.get("load")).get("gcPauses");
      return gc == null ? "not read (no GC log)" : gc.get("count") + " / " + gc.get("totalMs") + " / " + gc.get("p50Ms")
          + " / " + gc.get("p99Ms") + " / " + gc.get("maxMs");
    }));
    rows.add(sideBySide(servers, "sockets closed by the server during the run (by code)", s -> String.valueOf(s.get("closedByServer"))));
    rows.add(sideBySide(servers, "socket failures / sign-in failures", s -> part(s, "sockets", "failures") + " / " + part(s, "signIn", "failures")));
    rows.add(sideBySide(servers, "error lines in the server's output", s -> String.valueOf(s.get("errorLines"))));
    return rows;
  }

  /** Each server's search for its ceiling, step by step, where the run made one. */
  @SuppressWarnings("unchecked")
  private static String ceilings(Map<String, Map<String, Object>> servers) {
    StringBuilder md = new StringBuilder();
    servers.forEach((name, server) -> {
      List<Map<String, Object>> steps = (List<Map<String, Object>>) server.get("ceiling");
      if (steps == null) {
        return;
      }
      md.append("\n## Ceiling: ").append(name).append("\n\nThe load's rate doubled each step until urgent p99 > ")
          .append(ScaleSettings.URGENT_P99_LIMIT_MS).append(" ms or price p95 > ").append(ScaleSettings.PRICE_P95_LIMIT_MS)
          .append(" ms (the 1 s window plus 500 ms).\n\n| position updates/s asked / published | deliveries/s | server CPU, cores"
              + " | driver CPU, cores | urgent p99, ms | price p95, ms | GC pauses (count / max ms) | verdict |\n"
              + "| --- | --- | --- | --- | --- | --- | --- | --- |\n");
      for (Map<String, Object> step : steps) {
        Map<String, Object> gc = (Map<String, Object>) step.get("gcPauses");
        md.append("| ").append(step.get("positionUpdatesAsked")).append(" / ").append(step.get("positionUpdatesPerSecond"))
            .append(" | ").append(step.get("deliveriesPerSecond")).append(" | ").append(step.get("serverCpuCores"))
            .append(" | ").append(step.get("driverCpuCores")).append(" | ").append(step.get("urgentP99Ms"))
            .append(" | ").append(step.get("priceP95Ms")).append(" | ")
            .append(gc == null ? "-" : gc.get("count") + " / " + gc.get("maxMs")).append(" | ").append(step.get("verdict"))
            .append(" |\n");
      }
    });
    return md.toString();
  }

  private static String sideBySide(Map<String, Map<String, Object>> servers, String figure, Function<Map<String, Object>, Object> value) {
    StringBuilder line = new StringBuilder("| ").append(figure).append(" |");
    servers.values().forEach(server -> line.append(" ").append(String.valueOf(value.apply(server)).replace("|", "/")).append(" |"));
    return line.append("\n").toString();
  }

  @SuppressWarnings("unchecked")
  private static Object part(Map<String, Object> server, String section, String key) {
    return ((Map<String, Object>) server.get(section)).get(key);
  }

  private static String percentiles(Map<String, Long> row, String... keys) {
    List<String> values = new ArrayList<>();
    for (String key : keys) {
      values.add(String.valueOf(row.get(key)));
    }
    return String.join(" / ", values);
  }

  private static String mb(Object bytes) {
    return String.valueOf(EdgeLoadBenchmark.round(((Number) bytes).doubleValue() / (1024 * 1024)));
  }

  private static String kb(Object bytes) {
    return String.valueOf(EdgeLoadBenchmark.round(((Number) bytes).doubleValue() / 1024));
  }

  private static String row(String key, String value) {
    return "| " + key + " | " + value.replace("|", "/") + " |\n";
  }
}
