package com.portfoliostream.testkit;

import com.portfoliostream.demo.DemoPortfolio;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Pool;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hosts of the broker-flap fault (issue 18): on one embedded PostgreSQL, a broker node
 * ({@code ingest,orders,simulator}: the simulator is its broker, with its market's own ticks off
 * and partial fills of four shares) and an edge ({@code stream}, no credentials key), each in its
 * own JVM, in a cluster of their own. Tests and benchmarks drive the simulator through its control
 * API, trade through the edge, and read the database directly. Closing it stops both nodes.
 */
public final class BrokerFlapRig implements AutoCloseable {

  /** The demo traders, whose broker accounts the rig trades and compares. */
  public static final List<String> USERS = List.of("alice", "bob");
  private static final Pattern MANAGEMENT_PORT = Pattern.compile("Management server listening on [^:]+:(\\d+)");

  private final Vertx vertx;
  private final TestDatabase database;
  private final ProcessCluster cluster;
  private final NodeProcess brokerNode;
  private final int edgePort;
  private final int managementPort;
  private final SimulatorControl control;
  private final Pool pool;

  /** The nodes' DATA_DIRs, deleted on close. */
  private final List<java.nio.file.Path> dataDirs;

  private BrokerFlapRig(Vertx vertx, TestDatabase database, ProcessCluster cluster, NodeProcess brokerNode,
      int edgePort, int managementPort, SimulatorControl control, List<java.nio.file.Path> dataDirs) {
    this.dataDirs = dataDirs;
    this.vertx = vertx;
    this.database = database;
    this.cluster = cluster;
    this.brokerNode = brokerNode;
    this.edgePort = edgePort;
    this.managementPort = managementPort;
    this.control = control;
    this.pool = database.pool(vertx);
  }

  /**
   * Starts both nodes of {@code main} (the node's main class) and waits until they are up;
   * {@code reconcileSeconds} is the broker node's RECONCILE_INTERVAL_SECONDS.
   */
  public static BrokerFlapRig start(Class<?> main, int reconcileSeconds) throws Exception {
    TestDatabase database = TestDatabase.start();
    ProcessCluster cluster = ProcessCluster.of(main, "broker-flap", 2, database.database())
        .with("DEMO_PASSWORD", TestDatabase.PASSWORD).with("ORDER_RATE_PER_MINUTE", "100000")
        // Two sign-ins only: the lowest hashing cost saves seconds of a busy machine.
        .with("PASSWORD_HASH_ITERATIONS", "10000");
    java.nio.file.Path brokerDir = Files.createTempDirectory("flap-broker");
    java.nio.file.Path edgeDir = Files.createTempDirectory("flap-edge");
    try {
      int simPort = FreePorts.free();
      int edgePort = FreePorts.free();
      String token = java.util.UUID.randomUUID().toString();
      NodeProcess broker = cluster.start(0, "broker", Map.of("ROLES", "ingest,orders,simulator", "DEMO", "true",
          "DATA_DIR", brokerDir.toString(), "SIM_PORT", Integer.toString(simPort),
          "SIM_CONTROL_TOKEN", token, "SIM_TICK_INTERVAL_MS", "0", "SIM_PARTIAL_FILL_QTY", "4",
          "SIM_REQUESTS_PER_MINUTE", "1000000", "RECONCILE_INTERVAL_SECONDS", Integer.toString(reconcileSeconds)));
      NodeProcess edge = cluster.start(1, "edge", Map.of("ROLES", "stream", "DEMO", "false",
          "PORT", Integer.toString(edgePort), "DATA_DIR", edgeDir.toString()),
          Set.of("CREDENTIALS_KEY"));
      broker.awaitLine("Node .* up", ProcessCluster.START);
      edge.awaitLine("Node .* up", ProcessCluster.START);
      Matcher port = MANAGEMENT_PORT.matcher(broker.awaitLine(MANAGEMENT_PORT.pattern(), ProcessCluster.START));
      port.find();
      Vertx vertx = Vertx.vertx();
      return new BrokerFlapRig(vertx, database, cluster, broker, edgePort, Integer.parseInt(port.group(1)),
          new SimulatorControl(vertx, simPort, token), List.of(brokerDir, edgeDir));
    } catch (Exception | AssertionError e) {
      cluster.close();
      database.close();
      TestDatabase.deleteTree(brokerDir);
      TestDatabase.deleteTree(edgeDir);
      throw e;
    }
  }

  public Vertx vertx() {
    return vertx;
  }

  public int edgePort() {
    return edgePort;
  }

  public SimulatorControl broker() {
    return control;
  }

  /** A pool on the database both nodes use. */
  public Pool pool() {
    return pool;
  }

  /** The broker node's process (its output: the trading streams' reconnects and backfills). */
  public NodeProcess brokerNode() {
    return brokerNode;
  }

  /** The demo traders' broker accounts, as the comparison names them. */
  public List<LedgerComparison.Account> accounts(LedgerComparison comparison) throws Exception {
    List<LedgerComparison.Account> accounts = new ArrayList<>();
    for (String user : USERS) {
      DemoPortfolio.BrokerAccount account = DemoPortfolio.USERS.stream().filter(u -> u.username().equals(user))
          .findFirst().flatMap(DemoPortfolio.User::account).orElseThrow();
      accounts.add(comparison.account(user, account.apiKeyId()));
    }
    return accounts;
  }

  /** A counter of the broker node's {@code /metrics} (summed over its labels), 0 when absent. */
  public double counter(String name) throws Exception {
    WebClient web = WebClient.create(vertx);
    try {
      HttpResponse<Buffer> metrics = web.get(managementPort, "127.0.0.1", "/metrics").send()
          .await(30, TimeUnit.SECONDS);
      double sum = 0;
      for (String line : metrics.bodyAsString().split("\n")) {
        if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
          sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return sum;
    } finally {
      web.close();
    }
  }

  @Override
  public void close() throws Exception {
    cluster.close();
    pool.close();
    vertx.close().await(30, TimeUnit.SECONDS);
    database.close();
    for (java.nio.file.Path dir : dataDirs) {
      TestDatabase.deleteTree(dir);
    }
  }
}
