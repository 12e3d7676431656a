package com.portfoliostream.benchmarks;

import com.portfoliostream.node.Main;
import com.portfoliostream.testkit.NodeProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The node under test, in its own JVM (the testkit's node process): started, measured, stopped. */
final class MeasuredNode implements AutoCloseable {

  private static final Duration START = Duration.ofSeconds(120);
  private final NodeProcess node;
  private final ProcStat proc;

  MeasuredNode(Map<String, String> env) throws IOException {
    this(env, List.of("-Xmx512m"));
  }

  /** With these JVM flags (a heap size, say) instead of {@code -Xmx512m}. */
  MeasuredNode(Map<String, String> env, List<String> jvmFlags) throws IOException {
    node = NodeProcess.start("node", Main.class, env, jvmFlags);
    proc = new ProcStat(node.pid());
  }

  void awaitUp() throws InterruptedException {
    node.awaitLine(" up: roles", START);
  }

  /** Heap in use after a full GC, in bytes, read with jcmd. */
  long heapUsedAfterGc() throws IOException, InterruptedException {
    jcmd("GC.run");
    String info = jcmd("GC.heap_info");
    Matcher used = Pattern.compile("total \\d+K, used (\\d+)K").matcher(info);
    if (!used.find()) {
      throw new IllegalStateException("cannot read heap from: " + info);
    }
    return Long.parseLong(used.group(1)) * 1024;
  }

  /** Every line the node has printed so far. */
  List<String> output() {
    return node.output();
  }

  /** False once the node's JVM has exited. */
  boolean alive() {
    return ProcessHandle.of(node.pid()).map(ProcessHandle::isAlive).orElse(false);
  }

  /** CPU time (user + system) the process used so far, in milliseconds. */
  long cpuMillis() throws IOException {
    return proc.cpuMillis();
  }

  /** The node JVM's resident memory now, in bytes. */
  long rssBytes() throws IOException {
    return proc.rssBytes();
  }

  long pid() {
    return node.pid();
  }

  /** Runs a jcmd command against the node and returns its output once it has finished. */
  private String jcmd(String command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p = new ProcessBuilder(jcmd.toString(), Long.toString(node.pid()), command)
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("jcmd " + command + " did not finish");
    }
    return out;
  }

  @Override
  public void close() {
    node.close();
  }
}
