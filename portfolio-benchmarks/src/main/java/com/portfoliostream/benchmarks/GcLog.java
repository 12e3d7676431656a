package com.portfoliostream.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The measured JVM's own GC log ({@code -Xlog:gc:file=...}), read by phase: how many
 * stop-the-world pauses a phase saw and how long they were, as the JVM itself timed them.
 */
final class GcLog {

  /** e.g. {@code [12.345s][info][gc] GC(7) Pause Young (Normal) (G1 Evacuation Pause) 120M->30M(256M) 3.456ms}. */
  private static final Pattern PAUSE = Pattern.compile("\\bPause\\b.*\\s(\\d+(?:\\.\\d+)?)ms\\s*$");

  private final Path file;

  GcLog(Path file) {
    this.file = file;
  }

  /** The flag that makes the JVM write this log. */
  String flag() {
    return "-Xlog:gc:file=" + file;
  }

  /** Where the log stands now: a phase's pauses are those after it. */
  long mark() throws IOException {
    return Files.exists(file) ? Files.size(file) : 0;
  }

  /** The pauses logged since {@code mark}: count, total, p50, p99 and max in milliseconds. */
  Map<String, Object> pausesSince(long mark) throws IOException {
    List<Double> pauses = new ArrayList<>();
    if (Files.exists(file)) {
      byte[] all = Files.readAllBytes(file);
      String since = new String(all, (int) Math.min(mark, all.length), (int) Math.max(0, all.length - mark),
          StandardCharsets.UTF_8);
      for (String line : since.split("\n")) {
        Matcher matcher = PAUSE.matcher(line);
        if (matcher.find()) {
          pauses.add(Double.parseDouble(matcher.group(1)));
        }
      }
    }
    pauses.sort(Double::compare);
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("count", pauses.size());
    figures.put("totalMs", EdgeLoadBenchmark.round(pauses.stream().mapToDouble(Double::doubleValue).sum()));
    figures.put("p50Ms", pauses.isEmpty() ? 0 : pauses.get(pauses.size() / 2));
    figures.put("p99Ms", pauses.isEmpty() ? 0 : pauses.get(Math.min(pauses.size() - 1, (int) Math.ceil(pauses.size() * 0.99) - 1)));
    figures.put("maxMs", pauses.isEmpty() ? 0 : pauses.get(pauses.size() - 1));
    return figures;
  }
}
