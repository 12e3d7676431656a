package com.portfoliostream.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real HAProxy on a test host, run with the operator's {@code deploy/haproxy/haproxy.cfg} as it is
 * but for its example edges, which become the test's (as {@code deploy/local/cluster} renders it):
 * the same TLS frontend (a certificate from {@code make-test-cert}), checks, timeouts and PROXY
 * protocol. Its runtime API (a Unix socket, reachable from every network namespace) reports each
 * edge's state and the 5xx answers the balancer gave.
 */
public final class Balancer implements AutoCloseable {

  public static final String CONFIG = "deploy/haproxy/haproxy.cfg";
  /** The HTTPS frontend's port on the balancer's address. */
  public static final int PORT = 8443;
  private static final String FRONTEND = "portfolio_https";
  private static final String BACKEND = "portfolio_edges";

  private final NodeProcess process;
  private final Path runtimeSocket;
  private final String address;

  private Balancer(NodeProcess process, Path runtimeSocket, String address) {
    this.process = process;
    this.runtimeSocket = runtimeSocket;
    this.address = address;
  }

  /**
   * Starts HAProxy on {@code host} of {@code network} in front of {@code edges} (server name to
   * address:port), checking each on {@code edgeAdminPort}; returns once it answers its runtime API.
   */
  public static Balancer start(TestNetwork network, String host, Map<String, String> edges, int edgeAdminPort,
      Path dir) throws Exception {
    Files.createDirectories(dir);
    Path config = dir.resolve("haproxy.cfg");
    Files.writeString(config, render(Files.readString(BrowserScripts.REPO.resolve(CONFIG)), edges));
    String address = network.address(host);
    Map<String, String> env = new HashMap<>();
    env.put("LB_HTTPS_BIND", address + ":" + PORT);
    env.put("LB_HTTP_BIND", address + ":" + (PORT + 1));
    env.put("LB_TLS_CERT", certificate(dir, address).toString());
    env.put("LB_RUNTIME_SOCKET", dir.resolve("haproxy.sock").toString());
    env.put("LB_RUN_AS_INVOKER", "1");
    env.put("LB_MAXCONN", "2000");
    env.put("EDGE_ADMIN_PORT", Integer.toString(edgeAdminPort));
    List<String> command = new ArrayList<>(network.launcher(host));
    command.addAll(List.of("haproxy", "-db", "-f", config.toString()));
    Balancer balancer = new Balancer(NodeProcess.command("haproxy", command, dir, env), dir.resolve("haproxy.sock"),
        address);
    Eventually.eventually(Duration.ofSeconds(20), "HAProxy's runtime API answers", balancer::answers);
    return balancer;
  }

  /** The config with its example server lines (between the edges markers) replaced by {@code edges}. */
  static String render(String config, Map<String, String> edges) {
    int start = config.indexOf("# >>> edges");
    int end = config.indexOf("# <<< edges");
    if (start < 0 || end < start) {
      throw new IllegalStateException(CONFIG + " has no '# >>> edges' ... '# <<< edges' block");
    }
    StringBuilder servers = new StringBuilder();
    edges.forEach((name, target) -> servers.append("  server ").append(name).append(' ').append(target).append('\n'));
    return config.substring(0, config.indexOf('\n', start) + 1) + servers + config.substring(config.lastIndexOf('\n', end) + 1);
  }

  private static Path certificate(Path dir, String address) throws IOException, InterruptedException {
    Process made = new ProcessBuilder("bash", BrowserScripts.REPO.resolve("deploy/haproxy/make-test-cert").toString(),
        dir.toString(), address).redirectErrorStream(true).start();
    String output = new String(made.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!made.waitFor(30, TimeUnit.SECONDS) || made.exitValue() != 0) {
      throw new IllegalStateException("make-test-cert failed: " + output);
    }
    return dir.resolve("portfolio.pem");
  }

  /** The base URL clients use: HTTPS on the balancer's address. */
  public String url() {
    return "https://" + address + ":" + PORT;
  }

  /** An edge's state as the balancer sees it: UP, DOWN, NOLB (draining), MAINT, or with a transition ("UP 1/2"). */
  public String status(String edge) throws IOException {
    return row(BACKEND, edge).get("status");
  }

  /** How many times the balancer has marked {@code edge} down since it started. */
  public long timesMarkedDown(String edge) throws IOException {
    return number(row(BACKEND, edge).get("chkdown"));
  }

  /** Responses with a 5xx status the clients got through the balancer (its own 503s and the edges'). */
  public long served5xx() throws IOException {
    return number(row(FRONTEND, "FRONTEND").get("hrsp_5xx"));
  }

  /** Waits until the balancer holds {@code edge} for {@code status}. */
  public void awaitStatus(String edge, String status, Duration within) throws Exception {
    Eventually.eventually(within, edge + " " + status + " at the balancer", () -> status.equals(status(edge)));
  }

  private boolean answers() {
    try {
      return !stats().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  private Map<String, String> row(String proxy, String server) throws IOException {
    return stats().stream().filter(r -> proxy.equals(r.get("pxname")) && server.equals(r.get("svname"))).findFirst()
        .orElseThrow(() -> new IllegalStateException("HAProxy reports no " + proxy + "/" + server));
  }

  /** {@code show stat}: one row per frontend, backend and server, by column name. */
  private List<Map<String, String>> stats() throws IOException {
    String[] lines = ask("show stat").split("\n");
    List<Map<String, String>> rows = new ArrayList<>();
    if (lines.length == 0 || !lines[0].startsWith("# ")) {
      return rows;
    }
    String[] columns = lines[0].substring(2).split(",", -1);
    for (int i = 1; i < lines.length; i++) {
      String[] values = lines[i].split(",", -1);
      Map<String, String> row = new LinkedHashMap<>();
      for (int c = 0; c < columns.length && c < values.length; c++) {
        row.put(columns[c], values[c]);
      }
      rows.add(row);
    }
    return rows;
  }

  private String ask(String command) throws IOException {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(runtimeSocket));
      channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
      while (channel.read(buffer) >= 0) {
        answer.write(buffer.array(), 0, buffer.position());
        buffer.clear();
      }
      return answer.toString(StandardCharsets.UTF_8);
    }
  }

  private static long number(String value) {
    return value == null || value.isEmpty() ? 0 : Long.parseLong(value);
  }

  /** What HAProxy printed (its request log among it). */
  public List<String> output() {
    return process.output();
  }

  @Override
  public void close() {
    process.close();
  }
}
