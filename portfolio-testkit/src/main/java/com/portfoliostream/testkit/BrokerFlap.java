package com.portfoliostream.testkit;

import com.portfoliostream.common.metrics.MetricNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker-flap fault on a {@link BrokerFlapRig}: the demo traders trade through the edge
 * ({@link TradingLoad}) while every key's trading streams are cut every {@code every}, for
 * {@code total}; the last cut comes with the load still running, which then stops. From that last
 * cut the database is compared with the broker ({@link LedgerComparison}) until they are equal or
 * {@code settle} is over, then once more {@link #CONFIRM} later. Shared by BrokerFlapTest (which
 * asserts) and bin/benchmark-flap (which reports).
 */
public final class BrokerFlap {

  private static final Logger LOG = LoggerFactory.getLogger(BrokerFlap.class);
  /** The wait between reaching equality and the confirming comparison. */
  public static final Duration CONFIRM = Duration.ofSeconds(5);
  private static final Pattern BACKFILL = Pattern.compile("backfill handed over (\\d+) events");
  /** The reconciler's warning when the ledger's position disagreed with the broker's beyond rounding. */
  private static final Pattern POSITION_CORRECTED = Pattern.compile("Reconcile of account [^:]+: [A-Z0-9./-]+ is .* at the broker; taking");
  private static final Pattern ORDER_CORRECTED = Pattern.compile("Reconcile of account [^:]+: order \\S+ is .* at the broker; taking");
  private static final long COMPARE_EVERY_MS = 500;

  private final BrokerFlapRig rig;
  private final LedgerComparison comparison;

  public BrokerFlap(BrokerFlapRig rig) {
    this.rig = rig;
    this.comparison = new LedgerComparison(rig.pool(), rig.broker());
  }

  /**
   * What one run measured: the cuts made, the orders the load placed, had refused and canceled,
   * the broker's fills and our trades at the end, the backfills the broker node logged and the
   * events they handed over, the fills ingest counted as duplicates (fetched again) and as
   * recovered (missed by the stream, applied from REST), how long after the last cut the database
   * first equaled the broker (-1: not within the settle time), and the differences of the
   * confirming comparison (none is the verdict), with the largest average entry gap within tolerance.
   */
  public record Figures(int drops, int ordersPlaced, Map<Integer, Integer> ordersRefused, int cancels,
      int brokerOrders, int refusedBeforeBroker, int brokerFills, int trades, int backfills,
      long eventsHandedOverByBackfills, int positionsCorrected, int ordersCorrected, long fillsDuplicate, long fillsRecovered, long fillsApplied,
      long reconvergeMs, List<String> differences, String largestAvgEntryGap) {

    public Map<String, Object> summary() {
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("drops", drops);
      summary.put("ordersPlaced", ordersPlaced);
      summary.put("ordersRefusedByStatus", ordersRefused);
      summary.put("cancelsAsked", cancels);
      summary.put("brokerOrders", brokerOrders);
      summary.put("ordersRefusedBeforeTheBroker", refusedBeforeBroker);
      summary.put("brokerFills", brokerFills);
      summary.put("tradesInDatabase", trades);
      summary.put("backfillsRun", backfills);
      summary.put("eventsHandedOverByBackfills", eventsHandedOverByBackfills);
      summary.put("positionsCorrectedByReconcile", positionsCorrected);
      summary.put("ordersCorrectedByReconcile", ordersCorrected);
      summary.put("fillsReceivedAgainAndIgnored", fillsDuplicate);
      summary.put("fillsRecoveredFromRest", fillsRecovered);
      summary.put("fillsApplied", fillsApplied);
      summary.put("reconvergeAfterLastDropMs", reconvergeMs);
      summary.put("largestAvgEntryGapWithinTolerance", largestAvgEntryGap);
      summary.put("differences", differences);
      return summary;
    }
  }

  /** Runs the fault: trading every {@code orderIntervalMs} per user, a cut every {@code every} for {@code total}. */
  public Figures run(Duration total, Duration every, long orderIntervalMs, Duration settle) throws Exception {
    List<LedgerComparison.Account> accounts = rig.accounts(comparison);
    int logFrom = rig.brokerNode().output().size();
    int drops = 0;
    long lastDrop;
    TradingLoad load = TradingLoad.start(rig.vertx(), rig.edgePort(), BrokerFlapRig.USERS, TestDatabase.PASSWORD,
        rig.broker(), orderIntervalMs);
    try {
      long end = System.nanoTime() + total.toNanos();
      do {
        Thread.sleep(every.toMillis());
        rig.broker().dropAllTradingStreams();
        drops++;
        lastDrop = System.nanoTime();
        LOG.info("Cut every trading stream ({} so far, {} orders placed)", drops, load.placed());
      } while (System.nanoTime() < end);
    } finally {
      load.close();
    }
    long reconvergeMs = awaitEqual(accounts, lastDrop, settle);
    Thread.sleep(CONFIRM.toMillis());
    List<LedgerComparison.Result> last = comparison.compareAll(accounts);
    return figures(drops, load, last, logged(logFrom), reconvergeMs);
  }

  private long awaitEqual(List<LedgerComparison.Account> accounts, long lastDrop, Duration settle) throws Exception {
    long deadline = lastDrop + settle.toNanos();
    while (System.nanoTime() < deadline) {
      if (comparison.compareAll(accounts).stream().allMatch(LedgerComparison.Result::equal)) {
        return (System.nanoTime() - lastDrop) / 1_000_000;
      }
      Thread.sleep(COMPARE_EVERY_MS);
    }
    return -1;
  }

  /**
   * From the broker node's log since {@code from}: {backfills, events they handed over, positions
   * and orders the reconciler corrected}.
   */
  private long[] logged(int from) {
    List<String> lines = rig.brokerNode().output();
    long[] counts = new long[4];
    for (String line : lines.subList(from, lines.size())) {
      Matcher matcher = BACKFILL.matcher(line);
      if (matcher.find()) {
        counts[0]++;
        counts[1] += Long.parseLong(matcher.group(1));
      }
      counts[2] += POSITION_CORRECTED.matcher(line).find() ? 1 : 0;
      counts[3] += ORDER_CORRECTED.matcher(line).find() ? 1 : 0;
    }
    return counts;
  }

  private Figures figures(int drops, TradingLoad load, List<LedgerComparison.Result> results, long[] logged,
      long reconvergeMs) throws Exception {
    List<String> differences = new ArrayList<>();
    int brokerFills = 0;
    int trades = 0;
    int brokerOrders = 0;
    int refusedHere = 0;
    java.math.BigDecimal gap = java.math.BigDecimal.ZERO;
    for (LedgerComparison.Result result : results) {
      differences.addAll(result.differences());
      brokerFills += result.brokerFills();
      trades += result.trades();
      brokerOrders += result.brokerOrders();
      refusedHere += result.refusedBeforeBroker();
      gap = gap.max(result.largestAvgEntryGap());
    }
    return new Figures(drops, load.placed(), load.refusals(), load.cancels(), brokerOrders, refusedHere, brokerFills,
        trades, (int) logged[0], logged[1], (int) logged[2], (int) logged[3], counter(MetricNames.BROKER_FILLS_DUPLICATE),
        counter(MetricNames.BROKER_FILLS_RECOVERED), counter(MetricNames.BROKER_FILLS_APPLIED), reconvergeMs,
        differences, gap.stripTrailingZeros().toPlainString());
  }

  private long counter(String name) throws Exception {
    return Math.round(rig.counter(name + "_total"));
  }
}
