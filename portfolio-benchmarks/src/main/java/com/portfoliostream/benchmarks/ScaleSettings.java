package com.portfoliostream.benchmarks;

import com.portfoliostream.common.security.PasswordHashing;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scale benchmark's arguments, {@code name=value} each, with their defaults:
 * {@code sockets=1000 users=sockets/5 rate=users warmup=10 idle=20 load=60 servers=both
 * iterations=10000 ceiling=0 step=20 report=scale}. {@code rate} is position updates a second in all (one a second per user by
 * default), with orders at a fiftieth and fills at a hundredth of it; {@code servers} is stream,
 * socketio or both (one after the other, with the same users and load); {@code iterations} is the
 * PBKDF2 count of the users' password hashes (PASSWORD_HASH_ITERATIONS); {@code ceiling} is how
 * many times, after the load, the rate is doubled for {@code step} seconds each in search of the
 * server's ceiling (0: no search; it stops at the first step past {@link #URGENT_P99_LIMIT_MS} or
 * {@link #PRICE_P95_LIMIT_MS}, or where the driver cannot publish the rate asked); {@code report}
 * names the files written under docs/benchmarks ({@code scale} makes scale.md and scale.json).
 */
record ScaleSettings(int sockets, int users, int rate, int warmupSeconds, int idleSeconds, int loadSeconds,
    List<String> servers, int hashIterations, int ceilingSteps, int stepSeconds, String report) {

  /** Past this p99 of order, trade and fill deliveries a server is beyond its ceiling. */
  static final long URGENT_P99_LIMIT_MS = 250;
  /**
   * Past this p95 of price updates a server is beyond its ceiling: the 500 ms on top of
   * the 1 s batching window both servers run with today (issue #19 moves the window to a deadline).
   */
  static final long PRICE_P95_LIMIT_MS = 1_500;

  static final int POSITIONS_PER_USER = 10;
  static final String STREAM = "stream";
  static final String SOCKETIO = "socketio";

  ScaleSettings {
    if (sockets < 1 || users < 1 || users > sockets) {
      throw new IllegalArgumentException("need 1 <= users <= sockets, got users=" + users + " sockets=" + sockets);
    }
    if (rate < 1 || warmupSeconds < 0 || idleSeconds < 1 || loadSeconds < 1) {
      throw new IllegalArgumentException("rate, idle and load must be positive, warmup not negative");
    }
    if (ceilingSteps < 0 || ceilingSteps > 12 || stepSeconds < 5) {
      throw new IllegalArgumentException("ceiling must be 0 to 12 doublings, step at least 5 s");
    }
    if (!report.matches("[a-z0-9-]{1,40}")) {
      throw new IllegalArgumentException("report must be a file name of lowercase letters, digits and dashes, got " + report);
    }
    new PasswordHashing(hashIterations);
  }

  static ScaleSettings parse(String[] args) {
    Map<String, String> given = new LinkedHashMap<>();
    for (String arg : args) {
      String[] pair = arg.split("=", 2);
      if (pair.length != 2 || !List.of("sockets", "users", "rate", "warmup", "idle", "load", "servers", "iterations",
          "ceiling", "step", "report")
          .contains(pair[0])) {
        throw new IllegalArgumentException("unknown argument '" + arg + "': use name=value, see bin/benchmark-scale");
      }
      given.put(pair[0], pair[1]);
    }
    int sockets = number(given, "sockets", 1000);
    int users = number(given, "users", Math.max(1, sockets / 5));
    String servers = given.getOrDefault("servers", "both");
    return new ScaleSettings(sockets, users, number(given, "rate", users), number(given, "warmup", 10),
        number(given, "idle", 20), number(given, "load", 60), switch (servers) {
          case "both" -> List.of(STREAM, SOCKETIO);
          case STREAM, SOCKETIO -> List.of(servers);
          default -> throw new IllegalArgumentException("servers must be stream, socketio or both, got " + servers);
        }, number(given, "iterations", PasswordHashing.MIN_ITERATIONS), number(given, "ceiling", 0),
        number(given, "step", 20), given.getOrDefault("report", "scale"));
  }

  private static int number(Map<String, String> given, String name, int fallback) {
    return given.containsKey(name) ? Integer.parseInt(given.get(name)) : fallback;
  }

  /** Sockets of each user: as even as can be (5 each by default). */
  int[] socketsPerUser() {
    return spread(sockets, users);
  }

  /** {@code sockets} over {@code users}, as even as can be; the first users get one more when it does not divide. */
  static int[] spread(int sockets, int users) {
    int[] perUser = new int[users];
    for (int s = 0; s < sockets; s++) {
      perUser[s % users]++;
    }
    return perUser;
  }

  int maxSocketsPerUser() {
    return spread(sockets, users)[0];
  }

  PortfolioLoad.Rates rates() {
    return rates(rate);
  }

  /** {@code prices} position updates a second, with orders at a fiftieth and fills at a hundredth of it. */
  static PortfolioLoad.Rates rates(int prices) {
    return new PortfolioLoad.Rates(prices, Math.max(1, prices / 50), Math.max(1, prices / 100));
  }

  String command() {
    return "bin/benchmark-scale sockets=" + sockets + " users=" + users + " rate=" + rate + " warmup=" + warmupSeconds
        + " idle=" + idleSeconds + " load=" + loadSeconds + " servers="
        + (servers.size() == 2 ? "both" : servers.get(0)) + " iterations=" + hashIterations
        + (ceilingSteps > 0 ? " ceiling=" + ceilingSteps + " step=" + stepSeconds : "")
        + (report.equals("scale") ? "" : " report=" + report);
  }
}
