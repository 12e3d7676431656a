package com.portfoliostream.benchmarks;

import com.portfoliostream.node.Main;
import com.portfoliostream.testkit.BrokerFlap;
import com.portfoliostream.testkit.BrokerFlapRig;
import com.portfoliostream.testkit.LedgerComparison;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker-flap fault of issue 18 item 4 as a program: BrokerFlapTest's rig and scenario (a broker
 * node and an edge in their own JVMs, alice and bob trading through the edge) with every key's
 * trading streams cut every {@code every} seconds for {@code minutes}; then the database is compared
 * with the broker. Saves docs/benchmarks/broker-flap.{json,md}.
 *
 * <p>Usage: {@code bin/benchmark-flap [minutes=10] [every=10] [interval=400] [reconcile=60] [settle=120]}.
 */
public final class BrokerFlapBenchmark {

  private static final Logger LOG = LoggerFactory.getLogger(BrokerFlapBenchmark.class);
  private static final List<String> NAMES = List.of("minutes", "every", "interval", "reconcile", "settle");

  private BrokerFlapBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, Integer> settings = parse(args);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("command", "bin/benchmark-flap minutes=" + settings.get("minutes") + " every=" + settings.get("every")
        + " interval=" + settings.get("interval") + " reconcile=" + settings.get("reconcile")
        + " settle=" + settings.get("settle"));
    report.put("machine", Machine.describe());
    report.put("settings", settings);
    BrokerFlap.Figures figures;
    try (BrokerFlapRig rig = BrokerFlapRig.start(Main.class, settings.get("reconcile"))) {
      figures = new BrokerFlap(rig).run(Duration.ofMinutes(settings.get("minutes")),
          Duration.ofSeconds(settings.get("every")), settings.get("interval"), Duration.ofSeconds(settings.get("settle")));
    }
    report.put("figures", figures.summary());
    save(report, figures);
    System.exit(figures.differences().isEmpty() && figures.reconvergeMs() >= 0 ? 0 : 1);
  }

  private static Map<String, Integer> parse(String[] args) {
    Map<String, Integer> settings = new LinkedHashMap<>(Map.of("minutes", 10, "every", 10, "interval", 400,
        "reconcile", 60, "settle", 120));
    for (String arg : args) {
      String[] pair = arg.split("=", 2);
      if (pair.length != 2 || !NAMES.contains(pair[0]) || !pair[1].matches("\\d{1,6}") || Integer.parseInt(pair[1]) < 1) {
        throw new IllegalArgumentException("unknown argument '" + arg + "': use name=positive number with name one of "
            + NAMES + ", see bin/benchmark-flap");
      }
      settings.put(pair[0], Integer.parseInt(pair[1]));
    }
    if (settings.get("reconcile") < 5) {
      throw new IllegalArgumentException("reconcile is RECONCILE_INTERVAL_SECONDS: at least 5");
    }
    Map<String, Integer> ordered = new LinkedHashMap<>();
    NAMES.forEach(name -> ordered.put(name, settings.get(name)));
    return ordered;
  }

  private static void save(Map<String, Object> report, BrokerFlap.Figures figures) throws Exception {
    report.put("measuredAt", Instant.now().toString());
    Files.createDirectories(Reports.DIR);
    Files.writeString(Reports.DIR.resolve("broker-flap.json"), new JsonObject(report).encodePrettily() + "\n");
    Map<String, Integer> settings = castSettings(report.get("settings"));
    StringBuilder md = new StringBuilder("# Broker flap benchmark: trading streams cut while fills flow\n\n");
    md.append("Measured ").append(report.get("measuredAt")).append(" with `").append(report.get("command"))
        .append("` on ").append(report.get("machine")).append(".\n\n");
    md.append("A broker node (ingest, orders and the simulator as its broker: its market's own ticks off, partial ")
        .append("fills of 4 shares 200 ms apart, `RECONCILE_INTERVAL_SECONDS=").append(settings.get("reconcile"))
        .append("`) and an edge (stream), each in its own JVM, on one embedded PostgreSQL. alice and bob, signed in ")
        .append("on the edge (session cookie, CSRF token), each place an order every ").append(settings.get("interval"))
        .append(" ms through `POST /api/orders`: three in four a market order, else a limit order 0.1 % from the ")
        .append("price (canceled with `DELETE /api/orders/{id}` when still open 3 s later), 1-12 shares of AAPL, ")
        .append("MSFT, AMZN or SPY, buying and selling each symbol in turn; prices walk up to 0.2 % a second ")
        .append("through the simulator's control API. Every ").append(settings.get("every")).append(" s for ")
        .append(settings.get("minutes")).append(" minutes `POST /sim/control/trading-streams/drop` cuts every key's ")
        .append("trading stream without a close frame; the last cut comes with the load still running, which then ")
        .append("stops. From that cut the database is compared with the broker every 0.5 s until equal, then once ")
        .append("more ").append(BrokerFlap.CONFIRM.toSeconds()).append(" s later (`LedgerComparison`): positions ")
        .append("(signed quantity; average entry price within ").append(LedgerComparison.AVG_ENTRY_TOLERANCE)
        .append(", the simulator rounding each running average to 6 places, the product to 9), every order ")
        .append("(status, filled quantity, filled average price), every fill exactly once as a trade (same quantity ")
        .append("and price, no trade the broker lacks), balances (the newest snapshot's cash, equity, buying power, ")
        .append("last equity, in cents).\n\n");
    md.append("| figure | value |\n| --- | --- |\n");
    figures.summary().forEach((name, value) -> {
      if (!name.equals("differences")) {
        md.append("| ").append(name).append(" | ").append(value).append(" |\n");
      }
    });
    md.append("\n## Differences after the run\n\n");
    if (figures.differences().isEmpty()) {
      md.append("None: the database equals the broker for both accounts.\n");
    } else {
      figures.differences().forEach(d -> md.append("- ").append(d).append("\n"));
    }
    md.append("""

        ## What the figures mean

        - backfills run: the broker node's log lines "listening; backfill handed over N events", one per
          reconnect of an account's stream; the events are fills and order changes fetched over REST
          (each walks back from 10 minutes before the newest fill held and hands over only what is
          not applied here: fills we lack, orders whose status or fills differ).
        - positions / orders corrected by reconcile: the reconciler's warnings "... here but ... at the
          broker; taking the broker's". A position corrected means the ledger got it wrong (a fill
          missed, or applied out of broker order): there should be none. An order corrected is mostly
          the reconcile after a backfill racing the live stream (a partial fill the stream was about
          to deliver, 200 ms after the last): its missed fills are applied from REST, in broker order,
          and the stream's copies are then ignored as duplicates.
        - fills received again and ignored: `broker_fills_duplicate_total` (a fill a backfill or a
          redelivery brought that was already applied); recovered: `broker_fills_recovered_total`, fills
          the stream had not delivered, applied from the backfill or a reconciliation; applied:
          `broker_fills_applied_total` (every fill applied, whichever way it came).
        - reconverge: from the last cut to the first comparison that found no difference (-1: none within
          the settle time); it includes the reconnect's backoff (1 s with jitter) and the backfill.
        """);
    Files.writeString(Reports.DIR.resolve("broker-flap.md"), md.toString());
    LOG.info("Saved {} and broker-flap.json:\n{}", Reports.DIR.resolve("broker-flap.md"), md);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Integer> castSettings(Object settings) {
    return (Map<String, Integer>) settings;
  }
}
