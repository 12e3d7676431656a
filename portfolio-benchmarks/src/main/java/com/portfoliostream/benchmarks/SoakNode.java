package com.portfoliostream.benchmarks;

import com.portfoliostream.common.db.Database;
import com.portfoliostream.testkit.FreePorts;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The soak's node under test: an {@link EdgeNode} (its own JVM, a cluster member in the driver's
 * for the load) started with {@code bin/portfolio-node}'s flags and heap ({@link StreamServer#jvmFlags}),
 * its GC logged to a file, its management port known so that its {@code /metrics} can be read.
 */
final class SoakNode implements AutoCloseable {

  private final EdgeNode edge;
  private final int managementPort;
  private final GcLog gcLog;
  private final Map<String, String> settings;
  private final List<String> flags;

  private SoakNode(EdgeNode edge, int managementPort, GcLog gcLog, Map<String, String> settings, List<String> flags) {
    this.edge = edge;
    this.managementPort = managementPort;
    this.gcLog = gcLog;
    this.settings = settings;
    this.flags = flags;
  }

  static SoakNode start(Database database, Map<String, String> settings) throws Exception {
    int managementPort = FreePorts.free();
    GcLog gcLog = new GcLog(Files.createTempDirectory("soak-gc").resolve("gc.log"));
    List<String> flags = new ArrayList<>(StreamServer.jvmFlags());
    flags.add(gcLog.flag());
    Map<String, String> env = new HashMap<>(settings);
    env.put("ADMIN_PORT", Integer.toString(managementPort));
    EdgeNode edge = EdgeNode.start(database, env, flags, new VertxOptions().setEventLoopPoolSize(1));
    return new SoakNode(edge, managementPort, gcLog, settings, flags);
  }

  int port() {
    return edge.port();
  }

  int managementPort() {
    return managementPort;
  }

  /** The cluster member in the driver's JVM that publishes the position updates. */
  Vertx member() {
    return edge.member();
  }

  MeasuredNode process() {
    return edge.node();
  }

  GcLog gcLog() {
    return gcLog;
  }

  /** Its settings beyond the stream role's and its JVM flags, for the report (no secret among them but the demo's password, left out). */
  Map<String, Object> describe() {
    Map<String, Object> described = new LinkedHashMap<>();
    Map<String, String> shown = new TreeMap<>(settings);
    shown.remove("DEMO_PASSWORD");
    described.put("settings", shown);
    described.put("jvm", String.join(" ", flags.stream().filter(flag -> !flag.startsWith("--add-") && !flag.startsWith("-Xlog")).toList())
        + " (" + System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + ")");
    described.put("events", "position updates on the clustered event bus from a member in the driver's JVM; orders through "
        + "REST, the order queue and the broker simulator (its own JVM), fills back through ingest");
    return described;
  }

  @Override
  public void close() throws Exception {
    edge.close();
  }
}
