package com.portfoliostream.benchmarks;

import com.portfoliostream.common.security.PasswordHashing;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scale benchmark's arguments, {@code name=value} each, with their defaults:
 * {@code sockets=1000 users=sockets/5 rate=users warmup=10 idle=20 load=60 servers=both
 * iterations=10000}. {@code rate} is position updates a second in all (one a second per user by
 * default), with orders at a fiftieth and fills at a hundredth of it; {@code servers} is stream,
 * socketio or both (one after the other, with the same users and load); {@code iterations} is the
 * PBKDF2 count of the users' password hashes (PASSWORD_HASH_ITERATIONS).
 */
record ScaleSettings(int sockets, int users, int rate, int warmupSeconds, int idleSeconds, int loadSeconds,
    List<String> servers, int hashIterations) {

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
    new PasswordHashing(hashIterations);
  }

  static ScaleSettings parse(String[] args) {
    Map<String, String> given = new LinkedHashMap<>();
    for (String arg : args) {
      String[] pair = arg.split("=", 2);
      if (pair.length != 2 || !List.of("sockets", "users", "rate", "warmup", "idle", "load", "servers", "iterations")
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
        }, number(given, "iterations", PasswordHashing.MIN_ITERATIONS));
  }

  private static int number(Map<String, String> given, String name, int fallback) {
    return given.containsKey(name) ? Integer.parseInt(given.get(name)) : fallback;
  }

  /** Sockets of each user: as even as can be (5 each by default). */
  int[] socketsPerUser() {
    int[] perUser = new int[users];
    for (int s = 0; s < sockets; s++) {
      perUser[s % users]++;
    }
    return perUser;
  }

  int maxSocketsPerUser() {
    return (sockets + users - 1) / users;
  }

  PortfolioLoad.Rates rates() {
    return new PortfolioLoad.Rates(rate, Math.max(1, rate / 50), Math.max(1, rate / 100));
  }

  String command() {
    return "bin/benchmark-scale sockets=" + sockets + " users=" + users + " rate=" + rate + " warmup=" + warmupSeconds
        + " idle=" + idleSeconds + " load=" + loadSeconds + " servers="
        + (servers.size() == 2 ? "both" : servers.get(0)) + " iterations=" + hashIterations;
  }
}
