package com.portfoliostream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs the operators' own tools (haproxy, systemd-analyze, the deploy scripts) and reads their output. */
final class Commands {

  /** The checkout, seen from this module's directory (where Maven runs its tests). */
  static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

  record Result(int exitCode, String output) {}

  private Commands() {}

  static Result run(Map<String, String> environment, List<String> command) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(REPOSITORY.toFile()).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(command + " finishes").isTrue();
    return new Result(process.exitValue(), output);
  }

  /** Skips the test, saying why, when {@code tool} is not on this machine. */
  static void assumeInstalled(String tool, String howToGetIt) {
    boolean found = System.getenv("PATH") != null && java.util.Arrays.stream(System.getenv("PATH").split(":"))
        .anyMatch(dir -> Path.of(dir, tool).toFile().canExecute());
    Assumptions.assumeTrue(found, tool + " is not installed here, so this check is skipped: " + howToGetIt);
  }
}
