package com.portfoliostream.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the node's captured output says: its ERROR lines (with the first line of a stack trace), counted. */
final class NodeLog {

  private static final int KEPT = 50;

  private NodeLog() {}

  static Map<String, Object> errors(List<String> lines) {
    List<String> kept = new ArrayList<>();
    Map<String, Long> byMessage = new java.util.TreeMap<>();
    long count = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(" ERROR ")) {
        count++;
        String next = i + 1 < lines.size() && !lines.get(i + 1).matches("^\\d\\d:\\d\\d.*") ? " | " + lines.get(i + 1).trim() : "";
        if (kept.size() < KEPT) {
          kept.add(lines.get(i) + next);
        }
        byMessage.merge(lines.get(i).replaceFirst("^\\S+ ", "") + next, 1L, Long::sum);
      }
    }
    Map<String, Object> errors = new LinkedHashMap<>();
    errors.put("count", count);
    errors.put("byMessage", byMessage);
    errors.put("lines", kept);
    return errors;
  }

  static long count(List<String> lines, String marker) {
    return lines.stream().filter(line -> line.contains(marker)).count();
  }
}
