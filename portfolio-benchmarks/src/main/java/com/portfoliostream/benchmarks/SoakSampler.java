package com.portfoliostream.benchmarks;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One sample of the soak, of the interval since the last: first what the interval saw (the
 * sockets' latencies and deliveries, the orders, the node's CPU, GC pauses and event-loop delay),
 * then the node's heap in use right after a full GC that the sample forces ({@code jcmd GC.run},
 * a G1 full collection: the live set itself), and its resident memory, threads and open files
 * after that GC. The forced collection's own pause is reported beside; it falls into the next
 * interval's latencies and loop delay.
 */
final class SoakSampler {

  private final SoakNode node;
  private final SocketFleet fleet;
  private final PortfolioLoad prices;
  private final OrderFlow orders;
  private final ProcStat process;
  private final LoopDelayScrape loopDelay;
  private long lastAt = System.currentTimeMillis();
  private long lastCpuMillis;
  private long lastPositionUpdates;
  private long gcMark;

  SoakSampler(SoakNode node, SocketFleet fleet, PortfolioLoad prices, OrderFlow orders) throws Exception {
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
    long beforeGc = node.gcLog().mark();
    sample.put("heapAfterGcBytes", node.process().heapUsedAfterGc());
    sample.put("forcedGc", node.gcLog().pausesSince(beforeGc));
    sample.put("rssBytes", process.rssBytes());
    sample.put("threads", process.threads());
    sample.put("openFiles", process.openFiles());
    sample.put("socketsClosedByServer", fleet.serverCloses());
    sample.put("nodeErrorLines", NodeLog.count(node.process().output(), " ERROR "));
    gcMark = node.gcLog().mark();
    lastAt = now;
    lastCpuMillis = cpu;
    lastPositionUpdates = positionUpdates;
    return sample;
  }
}
