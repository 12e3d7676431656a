package com.portfoliostream.benchmarks;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes the failover benchmark's figures as docs/benchmarks/failover.{json,md}. */
final class FailoverReport {

  private static final Logger LOG = LoggerFactory.getLogger(FailoverReport.class);

  private static final String HOW = """
      Five network namespaces on one bridge: two stream edges (`edgea`, `edgeb`), a broker host
      (ingest, orders, admin and the simulator, prices moving only when told), HAProxy 2.6 on a
      fourth with `deploy/haproxy/haproxy.cfg` as it is but for its server lines (TLS with a test
      certificate, checks of `/readiness` every second, fall 3, `disable-on-404`,
      `on-marked-down shutdown-sessions`, PROXY protocol v2 to edges that trust only its address),
      and the root namespace with the embedded PostgreSQL behind a relay on its address and the
      clients. Every node binds its host's address; the cluster runs mutual TLS across the bridge.
      The clients are the real client library (`portfolio-client`, its default backoff: 1, 2, 4 s,
      each plus up to 1 s of jitter) in Node.js, 2 users × 5 sockets, each user's five sharing a
      session, all through HAProxy. Each fault strikes the edge holding the most sockets; an order
      is placed through HAProxy at the fault (a market buy, retried every second under one
      Idempotency-Key until accepted).
      """;

  private static final String MEANING = """
      ## What the figures mean

      - reconnect: per socket of the struck edge, from the fault to its fresh snapshot on the other
        edge; for the drain, which serves until it closes the socket 1001, from that close.
      - close codes: every close the clients saw after the fault (1006: the balancer cut the
        connection without a close frame, as `on-marked-down shutdown-sessions` does).
        Refusals are the edge's 1008 (final) and 1013 (try again).
      - 5xx through the balancer: HAProxy's frontend count of 5xx answers (its own 503s included)
        during the scenario; HTTP errors: every 4xx/5xx a client saw, by status.
      - first fill / on every socket: from the fault to the order placed at the fault shown filled
        on the first socket of its user, and on all five (a socket back after the fill gets it in
        its snapshot).
      - stale sockets gone: from SIGCONT or the mended link to the struck edge's own socket gauge
        reading 0 (a thawed edge finds its lease lapsed and closes them 1012; a mended one learns
        from TCP that the balancer closed them).
      - REST differences: clients whose cache differed from REST once the fill was everywhere.
      """;

  private FailoverReport() {}

  @SuppressWarnings("unchecked")
  static void save(Map<String, Object> report) throws IOException {
    report.put("measuredAt", Instant.now().toString());
    Files.createDirectories(Reports.DIR);
    Files.writeString(Reports.DIR.resolve("failover.json"), new JsonObject(report).encodePrettily() + "\n");
    StringBuilder md = new StringBuilder("# Failover benchmark: edges failing behind HAProxy, on hosts of their own\n\n");
    md.append("Measured ").append(report.get("measuredAt")).append(" with `").append(report.get("command"))
        .append("` on ").append(report.get("machine")).append(".\n\n").append(HOW.replace("\n", " ").trim()).append("\n\n");
    List<Map<String, Object>> scenarios = (List<Map<String, Object>>) report.get("scenarios");
    md.append("| fault | edge | sockets moved | reconnect p50 / p95 / max ms | close codes | refusals "
        + "| 5xx through the balancer | HTTP errors seen | first fill ms | filled on every socket ms "
        + "| stale sockets gone ms | REST differences |\n")
        .append("| --- ".repeat(12)).append("|\n");
    for (Map<String, Object> s : scenarios) {
      md.append("| ").append(s.get("fault")).append(" | ").append(s.get("edge")).append(" | ").append(s.get("socketsBack"))
          .append(" | ").append(s.get("reconnectP50Ms")).append(" / ").append(s.get("reconnectP95Ms")).append(" / ")
          .append(s.get("reconnectMaxMs")).append(" | ").append(s.get("closeCodes")).append(" | ").append(s.get("refusals"))
          .append(" | ").append(s.get("balancer5xx")).append(" | ").append(s.get("httpErrorsSeenByClients"))
          .append(" | ").append(s.get("firstFillMs")).append(" | ").append(s.get("filledOnEverySocketMs"))
          .append(" | ").append(dash(s.get("staleSocketsGoneMs"))).append(" | ").append(s.get("restDifferences"))
          .append(" |\n");
    }
    md.append("\nThe other edge was never marked down by HAProxy: ")
        .append(scenarios.stream().allMatch(s -> ((Number) s.get("otherEdgeMarkedDown")).longValue() == 0) ? "yes" : "no")
        .append(". ERROR lines from the nodes' own code: ").append(report.get("nodeErrorLines"))
        .append("; from Hazelcast itself (a member woken from a freeze as the cluster settles): ")
        .append(report.get("hazelcastErrorLines")).append(".\n\n").append(MEANING);
    Files.writeString(Reports.DIR.resolve("failover.md"), md.toString());
    LOG.info("Saved {} and failover.json:\n{}", Reports.DIR.resolve("failover.md"), md);
  }

  private static String dash(Object value) {
    return ((Number) value).longValue() < 0 ? "-" : String.valueOf(value);
  }
}
