package com.portfoliostream.benchmarks;

import com.portfoliostream.common.db.Database;
import com.portfoliostream.testkit.LauncherFlags;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Our stream edge ({@link EdgeNode}) with the capacity the run needs; its events come on the
 * clustered event bus from a member in the driver's JVM, as in {@link EdgeLoadBenchmark}.
 */
final class StreamServer implements ScaleServer {

  /** The heap the node is given here: what a 2.7 GB container gets from MaxRAMPercentage=75. */
  static final String HEAP = "-Xmx2g";

  private final ScaleSettings run;
  private final EdgeNode edge;
  private final GcLog gcLog;

  StreamServer(Database database, ScaleSettings run) throws Exception {
    this.run = run;
    gcLog = new GcLog(java.nio.file.Files.createTempDirectory("scale-gc").resolve("gc.log"));
    List<String> flags = new java.util.ArrayList<>(jvmFlags());
    flags.add(gcLog.flag());
    edge = EdgeNode.start(database, capacity(run), flags, new VertxOptions().setEventLoopPoolSize(1));
  }

  /** The settings this run needs beyond the defaults: room for every socket, cheap hashes. */
  static Map<String, String> capacity(ScaleSettings run) {
    return Map.of("MAX_CONNECTIONS", Integer.toString(run.sockets() + 16),
        "MAX_CONNECTIONS_PER_ADDRESS", Integer.toString(SocketFleet.SOCKETS_PER_ADDRESS + 64),
        "MAX_CONNECTIONS_PER_USER", Integer.toString(Math.max(5, run.maxSocketsPerUser())),
        "PASSWORD_HASH_ITERATIONS", Integer.toString(run.hashIterations()));
  }

  /** The node's own flags (bin/portfolio-node: GC, heap sizing), then {@link #HEAP}, which wins. */
  static List<String> jvmFlags() throws java.io.IOException {
    List<String> flags = new java.util.ArrayList<>(LauncherFlags.of(Path.of("").toAbsolutePath()));
    flags.add(HEAP);
    return flags;
  }

  private static List<String> jvmFlagsOrNone() {
    try {
      return jvmFlags().stream().filter(flag -> !flag.startsWith("--add-")).toList();
    } catch (java.io.IOException e) {
      return List.of(HEAP);
    }
  }

  @Override
  public String name() {
    return ScaleSettings.STREAM;
  }

  @Override
  public Dialect dialect() {
    return new StreamDialect();
  }

  @Override
  public int port() {
    return edge.port();
  }

  @Override
  public Vertx publisher() {
    return edge.member();
  }

  @Override
  public EventSink events() {
    return EventSink.bus(edge.member());
  }

  @Override
  public ProcStat process() {
    return new ProcStat(edge.node().pid());
  }

  @Override
  public java.util.Optional<GcLog> gcLog() {
    return java.util.Optional.of(gcLog);
  }

  @Override
  public long heapUsedAfterGc() throws Exception {
    return edge.node().heapUsedAfterGc();
  }

  @Override
  public long errorLines() {
    return NodeLog.count(edge.node().output(), " ERROR ");
  }

  @Override
  public Map<String, Object> settings() {
    Map<String, Object> settings = new LinkedHashMap<>(new TreeMap<>(capacity(run)));
    settings.put("jvm", String.join(" ", jvmFlagsOrNone()) + " (" + System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + ")");
    settings.put("events", "clustered event bus, from a member in the driver's JVM");
    return settings;
  }

  @Override
  public void close() throws Exception {
    edge.close();
  }
}
