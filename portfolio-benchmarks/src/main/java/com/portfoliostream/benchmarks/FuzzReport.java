package com.portfoliostream.benchmarks;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Writes the fuzz program's figures as docs/benchmarks/edge-fuzz.{json,md}, each target checked. */
final class FuzzReport {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FuzzReport.class);

  private FuzzReport() {}

  /** Saves the report; true when every target is met. */
  @SuppressWarnings("unchecked")
  static boolean save(Map<String, Object> report) throws IOException {
    report.put("measuredAt", Instant.now().toString());
    long faults = ((Number) report.get("serverFaults")).longValue();
    long errors = ((Number) ((Map<String, Object>) report.get("errorLines")).get("count")).longValue();
    long crashes = ((Number) report.get("crashes")).longValue();
    report.put("targetsMet", faults == 0 && errors == 0 && crashes == 0);
    Files.createDirectories(Reports.DIR);
    Files.writeString(Reports.DIR.resolve("edge-fuzz.json"), new JsonObject(report).encodePrettily() + "\n");
    StringBuilder md = new StringBuilder("# Edge fuzz\n\n");
    md.append("Measured ").append(report.get("measuredAt")).append(" with `").append(report.get("command"))
        .append("` on ").append(report.get("machine")).append(", in ").append(report.get("seconds")).append(" s.\n\n")
        .append("A whole node in its own JVM (every role, the simulator as broker, an embedded database, loopback only). ")
        .append("Two signed-in hostile users (bob, admin) send hostile WebSocket frames over raw TCP and reconnect when ")
        .append("closed; some upgrades are unauthenticated or broken. Twelve sessions of bob send hostile HTTP requests, one ")
        .append("TCP connection each. Meanwhile alice holds one clean socket subscribed to positions and pings it every ")
        .append(CleanWatcher.PING_EVERY_MS).append(" ms. A server fault is a 5xx answer, a 1011 close or an ")
        .append("`INTERNAL_ERROR` message.\n\n");
    md.append("## Targets\n\n| target | measured | met |\n| --- | --- | --- |\n")
        .append(row("server faults (5xx, 1011, INTERNAL_ERROR) = 0", faults))
        .append(row("ERROR lines in the node's log = 0", errors))
        .append(row("crashes = 0", crashes)).append("\n");
    Map<String, Object> clean = (Map<String, Object>) report.get("cleanUser");
    md.append("## Clean user\n\n| figure | value |\n| --- | --- |\n");
    clean.forEach((key, value) -> md.append("| ").append(key).append(" | ").append(value).append(" |\n"));
    md.append("\n## Sent and answered\n\n| figure | value |\n| --- | --- |\n");
    for (String key : List.of("framesSent", "framesSentUnauthenticated", "upgradeAttempts", "socketsOpened",
        "requestsSent", "requestsUnanswered", "unansweredByKind", "heapAfterGcBytes", "warnLines", "httpStatuses", "closeCodes")) {
      md.append("| ").append(key).append(" | ").append(report.get(key)).append(" |\n");
    }
    md.append("\n## How the server ended each socket, by the last hostile act sent on it\n\n")
        .append("(A hang-up or a normal close by us, or a survivable message cut short by the rate limit, also end here.)\n\n")
        .append("| last act | close codes |\n| --- | --- |\n");
    ((Map<String, Object>) report.get("closeCodesByLastKind")).forEach((kind, codes) ->
        md.append("| ").append(kind).append(" | ").append(codes).append(" |\n"));
    md.append("\n## Hostile acts sent, by kind\n\n| kind | count |\n| --- | --- |\n");
    ((Map<String, Long>) report.get("sentByKind")).forEach((kind, count) ->
        md.append("| ").append(kind).append(" | ").append(count).append(" |\n"));
    md.append("\n## Server faults (first ones, with what was sent)\n\n");
    for (Map<String, Object> fault : (List<Map<String, Object>>) report.get("faults")) {
      md.append("- ").append(fault.get("answer")).append(" after **").append(fault.get("kind")).append("**: `")
          .append(String.valueOf(fault.get("sent")).replace("`", "'")).append("`\n");
    }
    md.append("\n## ERROR lines of the node, by message\n\n| message (and first line of its stack trace) | count |\n| --- | --- |\n");
    ((Map<String, Long>) ((Map<String, Object>) report.get("errorLines")).get("byMessage")).forEach((line, count) ->
        md.append("| `").append(line.replace("`", "'").replace("|", "\\|")).append("` | ").append(count).append(" |\n"));
    md.append("\n## ERROR lines of the node (first ones)\n\n");
    for (String line : (List<String>) ((Map<String, Object>) report.get("errorLines")).get("lines")) {
      md.append("- `").append(line.replace("`", "'")).append("`\n");
    }
    Files.writeString(Reports.DIR.resolve("edge-fuzz.md"), md.toString());
    LOG.info("Saved {} and edge-fuzz.json:\n{}", Reports.DIR.resolve("edge-fuzz.md"), md);
    return (boolean) report.get("targetsMet");
  }

  private static String row(String target, long measured) {
    return "| " + target + " | " + measured + " | " + (measured == 0 ? "yes" : "**no**") + " |\n";
  }
}
