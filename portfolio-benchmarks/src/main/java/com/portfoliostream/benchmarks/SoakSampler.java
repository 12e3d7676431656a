package com.portfoliostream.benchmarks;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One sample of the soak, of the interval since the last: first what the interval saw (the
 * sockets' latencies and deliveries, the orders, the node's CPU, GC pauses and event-loop delay),
 * then the node's heap in use right after a full GC that the sample forces ({@code jcmd GC.run},
 * a G1 full collection: the live set itself), and its resident memory, threads and open files
 * after that GC. The price load pauses for {@code quiet} seconds before that GC and resumes after
 * it: at 10 000 updates a second what is in flight (batch windows, event-bus messages, frames
 * being written) moved the live set by ±50 MB from one minute to the next, which hides a leak of
 * 1 MB per 10 minutes; after the pause the heap holds what the node keeps. The orders go on. The forced collection's own pause is reported beside; it falls into the next
 * interval's latencies and loop delay.
 */
final class SoakSampler {

  private final SoakNode node;
  private final SocketFleet fleet;
  private final PortfolioLoad prices;
  private final OrderFlow orders;
  private final long quietMillis;
  private final ProcStat process;
  private final LoopDelayScrape loopDelay;
  private long lastAt = System.currentTimeMillis();
  private long lastCpuMillis;
  private long lastPositionUpdates;
  private long gcMark;

  SoakSampler(SoakNode node, SocketFleet fleet, PortfolioLoad prices, OrderFlow orders, int quietSeconds)
      throws Exception {
    this.quietMillis = quietSeconds * 1000L;
    this.node = node;
    this.fleet = fleet;
    this.prices = prices;
    this.orders = orders;
    this.process = new ProcStat(node.process().pid());
    this.loopDelay = new LoopDelayScrape(node.managementPort());
    lastCpuMillis = process.cpuMillis();
    gcMark = node.gcLog().mark();
  }

  Map<String, Object> sample(double minute) throws Exception {
    long now = System.currentTimeMillis();
    double seconds = Math.max(0.001, (now - lastAt) / 1000.0);
    Map<String, Object> sample = new LinkedHashMap<>();
    sample.put("minute", EdgeLoadBenchmark.round(minute));
    sample.put("at", Instant.ofEpochMilli(now).toString());
    // The machine is shared: its load average tells a reader when other work competed for the cores.
    sample.put("loadAverage1m", Double.parseDouble(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0]));
    long cpu = process.cpuMillis();
    sample.put("nodeCpuCores", EdgeLoadBenchmark.round((cpu - lastCpuMillis) / 1000.0 / seconds));
    sample.put("eventLoopDelay", loopDelay.interval());
    sample.put("gcPauses", node.gcLog().pausesSince(gcMark));
    DeliveryBook book = fleet.swapBook();
    long positionUpdates = prices.positionUpdates();
    sample.put("positionUpdatesPerSecond", EdgeLoadBenchmark.round((positionUpdates - lastPositionUpdates) / seconds));
    sample.put("deliveriesPerSecond", EdgeLoadBenchmark.round(book.deliveries() / seconds));
    sample.put("latencyMs", book.latencies());
    sample.put("orders", orders.swap());
    if (quietMillis > 0 && minute > 0) {
      prices.pause();
      Thread.sleep(quietMillis);
    }
    long beforeGc = node.gcLog().mark();
    sample.put("heapAfterGcBytes", node.process().heapUsedAfterGc());
    sample.put("forcedGc", node.gcLog().pausesSince(beforeGc));
    sample.put("rssBytes", process.rssBytes());
    sample.put("threads", process.threads());
    sample.put("openFiles", process.openFiles());
    if (quietMillis > 0 && minute > 0) {
      prices.resume();
    }
    sample.put("socketsClosedByServer", fleet.serverCloses());
    sample.put("nodeErrorLines", NodeLog.count(node.process().output(), " ERROR "));
    gcMark = node.gcLog().mark();
    lastAt = now;
    lastCpuMillis = cpu;
    lastPositionUpdates = positionUpdates;
    return sample;
  }
}
