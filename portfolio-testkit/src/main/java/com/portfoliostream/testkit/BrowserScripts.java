package com.portfoliostream.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Node scripts of {@code browser-tests/} (Node unit tests, playwright-core in Chromium)
 * from JUnit. A script asks the test to act by printing {@code STEP <name>}; the step's action runs
 * and its answer goes back on stdin as {@code DONE <name> <answer>}. Every run has a real timeout
 * (the process is killed, never waited on forever), and a failed {@code npm ci} fails the test.
 */
public final class BrowserScripts {

  public static final Path REPO = repositoryRoot();
  public static final Path BROWSER_TESTS = REPO.resolve("browser-tests");
  public static final Path SCREENSHOTS = Path.of("target", "screenshots").toAbsolutePath();
  private static final long TIMEOUT_SECONDS = 240;

  /** What a step does when a script asks for it; returns the answer sent back (may be empty). */
  @FunctionalInterface
  public interface Step {
    String run() throws Exception;
  }

  /** How a script ended: its exit code and everything it printed. */
  public record Run(int exitCode, String output) {}

  private BrowserScripts() {}

  /** The checkout's root: the nearest folder up from the module's that holds browser-tests/. */
  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("browser-tests"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no browser-tests folder above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  /**
   * Installs the test packages from the lock file when a fresh checkout lacks them, or when the
   * lock file changed since they were installed (npm keeps its own copy in node_modules).
   */
  public static synchronized void ensureNodeModules() throws Exception {
    Path installed = BROWSER_TESTS.resolve("node_modules").resolve(".package-lock.json");
    if (Files.isRegularFile(installed) && !Files.getLastModifiedTime(installed)
        .toInstant().isBefore(Files.getLastModifiedTime(BROWSER_TESTS.resolve("package-lock.json")).toInstant())) {
      return;
    }
    Run install = run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of());
    if (install.exitCode() != 0) {
      throw new IllegalStateException("npm ci failed in browser-tests:\n" + install.output());
    }
  }

  /** Runs {@code command} in the repository root, answering its steps; fails after four minutes. */
  public static Run run(List<String> command, Map<String, Step> steps) throws Exception {
    Process process = new ProcessBuilder(command)
        .directory(command.get(0).equals("npm") ? BROWSER_TESTS.toFile() : REPO.toFile())
        .redirectErrorStream(true)
        .start();
    List<String> output = new ArrayList<>();
    Thread reader = new Thread(() -> converse(process, steps, output), "browser-script-" + command.get(1));
    reader.setDaemon(true);
    reader.start();
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      reader.join(5000);
      return new Run(-1, String.join("\n", snapshot(output)) + "\n(timed out)");
    }
    reader.join(10000);
    return new Run(process.exitValue(), String.join("\n", snapshot(output)));
  }

  private static void converse(Process process, Map<String, Step> steps, List<String> output) {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
         Writer answers = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)) {
      String line;
      while ((line = lines.readLine()) != null) {
        synchronized (output) {
          output.add(line);
        }
        if (line.startsWith("STEP ")) {
          String name = line.substring(5).trim();
          answers.write("DONE " + name + " " + answer(steps, name, output) + "\n");
          answers.flush();
        }
      }
    } catch (IOException e) {
      synchronized (output) {
        output.add("(lost the script's output: " + e.getMessage() + ")");
      }
    }
  }

  private static String answer(Map<String, Step> steps, String name, List<String> output) {
    try {
      Step step = steps.get(name);
      if (step == null) {
        throw new IllegalArgumentException("no step named " + name);
      }
      return step.run();
    } catch (Exception e) {
      synchronized (output) {
        output.add("(step " + name + " failed: " + e + ")");
      }
      return "";
    }
  }

  private static List<String> snapshot(List<String> output) {
    synchronized (output) {
      return new ArrayList<>(output);
    }
  }
}
