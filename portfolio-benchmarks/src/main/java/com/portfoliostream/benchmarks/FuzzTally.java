package com.portfoliostream.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the fuzzers sent and what the node answered: counters shared by every worker thread, and
 * the server faults seen (a 5xx, a 1011 close, an INTERNAL_ERROR frame) with what caused each.
 */
final class FuzzTally {

  /** Faults kept with their cause; beyond this only counted. */
  private static final int MAX_FINDINGS = 200;
  final AtomicLong framesSent = new AtomicLong();
  final AtomicLong framesSentUnauthenticated = new AtomicLong();
  final AtomicLong socketsOpened = new AtomicLong();
  final AtomicLong upgradeAttempts = new AtomicLong();
  final AtomicLong requestsSent = new AtomicLong();
  final AtomicLong requestsUnanswered = new AtomicLong();
  final AtomicLong serverErrors = new AtomicLong();
  private final Map<String, Long> httpStatuses = new TreeMap<>();
  private final Map<String, Long> closeCodes = new TreeMap<>();
  private final Map<String, Map<String, Long>> closeCodesByLastKind = new TreeMap<>();
  private final Map<String, Long> kindsSent = new TreeMap<>();
  private final Map<String, Long> unansweredByKind = new TreeMap<>();
  private final List<Map<String, Object>> findings = new ArrayList<>();

  synchronized void sent(String kind) {
    kindsSent.merge(kind, 1L, Long::sum);
  }

  /** A request (sent whole) that got no answer in time. */
  synchronized void unanswered(String kind) {
    requestsUnanswered.incrementAndGet();
    unansweredByKind.merge(kind, 1L, Long::sum);
  }

  synchronized Map<String, Long> unansweredByKind() {
    return new TreeMap<>(unansweredByKind);
  }

  synchronized void httpStatus(int status) {
    httpStatuses.merge(status < 0 ? "none" : Integer.toString(status), 1L, Long::sum);
  }

  /** How the server ended a socket, and the kind of hostile act sent last on it. */
  synchronized void closeCode(int code, String lastKind) {
    String key = code < 0 ? "none (connection dropped)" : Integer.toString(code);
    closeCodes.merge(key, 1L, Long::sum);
    closeCodesByLastKind.computeIfAbsent(lastKind, k -> new TreeMap<>()).merge(key, 1L, Long::sum);
  }

  /** A fault of the server's own: counted, and kept with its cause while there is room. */
  synchronized void serverFault(String what, String kind, String cause) {
    serverErrors.incrementAndGet();
    if (findings.size() < MAX_FINDINGS) {
      findings.add(Map.of("answer", what, "kind", kind, "sent", cause, "at", java.time.Instant.now().toString()));
    }
  }

  synchronized Map<String, Long> httpStatuses() {
    return new TreeMap<>(httpStatuses);
  }

  synchronized Map<String, Long> closeCodes() {
    return new TreeMap<>(closeCodes);
  }

  synchronized Map<String, Map<String, Long>> closeCodesByLastKind() {
    Map<String, Map<String, Long>> copy = new TreeMap<>();
    closeCodesByLastKind.forEach((kind, codes) -> copy.put(kind, new TreeMap<>(codes)));
    return copy;
  }

  synchronized Map<String, Long> kindsSent() {
    return new TreeMap<>(kindsSent);
  }

  synchronized List<Map<String, Object>> findings() {
    return List.copyOf(findings);
  }

  /** Bytes as a short printable string for a report: control and non-ASCII bytes escaped. */
  static String printable(byte[] bytes, int max) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < Math.min(bytes.length, max); i++) {
      int b = bytes[i] & 0xff;
      if (b == '\r') {
        out.append("\\r");
      } else if (b == '\n') {
        out.append("\\n");
      } else if (b < 0x20 || b >= 0x7f || b == '\\') {
        out.append(String.format("\\x%02x", b));
      } else {
        out.append((char) b);
      }
    }
    return bytes.length > max ? out + "… (" + bytes.length + " bytes)" : out.toString();
  }
}
