package com.portfoliostream.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The stream node under test, in its own JVM: started, measured (heap, CPU) and stopped. */
final class EdgeProcess implements AutoCloseable {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EdgeProcess.class);
  private final Process process;
  private final CountDownLatch up = new CountDownLatch(1);

  EdgeProcess(Map<String, String> env) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"),
        "--add-opens", "java.base/java.lang=ALL-UNNAMED",
        "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens", "java.management/sun.management=ALL-UNNAMED",
        "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
        "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
        "-Xmx512m", "-cp", System.getProperty("java.class.path"), "com.portfoliostream.node.Main"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    process = builder.start();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          if (line.contains(" up: roles")) {
            up.countDown();
          }
          if (line.contains("ERROR")) {
            LOG.error("edge node: {}", line);
          }
        }
      } catch (IOException e) {
        // ended
      }
    }, "edge-output");
    reader.setDaemon(true);
    reader.start();
  }

  void awaitUp() throws InterruptedException {
    if (!up.await(120, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the edge node did not come up");
    }
  }

  /** Heap in use after a full GC, in bytes, read with jcmd. */
  long heapUsedAfterGc() throws IOException, InterruptedException {
    jcmd("GC.run");
    Thread.sleep(500);
    String info = jcmd("GC.heap_info");
    Matcher used = Pattern.compile("total \\d+K, used (\\d+)K").matcher(info);
    if (!used.find()) {
      throw new IllegalStateException("cannot read heap from: " + info);
    }
    return Long.parseLong(used.group(1)) * 1024;
  }

  /** CPU time (user + system) the process used so far, in milliseconds. */
  long cpuMillis() throws IOException {
    String[] stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat")).split("\\) ", 2)[1].split(" ");
    long ticks = Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
    return ticks * 10;
  }

  private String jcmd(String command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), command)
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(30, TimeUnit.SECONDS);
    return out;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
