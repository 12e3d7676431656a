package com.portfoliostream.benchmarks;

import com.portfoliostream.common.security.PasswordHashing;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The soak's arguments, {@code name=value} each, with their defaults (issue #18's: ten times the
 * seed's 100 sockets and 1 000 position updates a second, for an hour): {@code minutes=60
 * sockets=1000 users=sockets rate=10000 orders-per-minute=600 sample=60 warmup=5
 * quiet=3 iterations=10000}. {@code rate} is position updates a second in all, spread over every user's
 * {@link ScaleSettings#POSITIONS_PER_USER} positions (one tick a second each at the defaults, as
 * the seed); {@code orders-per-minute} real market orders, shared by the demo traders alice and
 * bob, each placed through REST and filled by the broker simulator; {@code sample} the seconds
 * between samples; {@code warmup} the minutes left out of the fits; {@code quiet} the seconds the price load pauses
 * before each sample's forced GC, so that the heap measured is what the node keeps rather than
 * what is in flight (0: measured under load); {@code iterations} the PBKDF2
 * count of the users' hashes.
 */
record SoakSettings(int minutes, int sockets, int users, int rate, int ordersPerMinute, int sampleSeconds,
    int warmupMinutes, int quietSeconds, int hashIterations) {

  private static final List<String> NAMES = List.of("minutes", "sockets", "users", "rate", "orders-per-minute",
      "sample", "warmup", "quiet", "iterations");

  SoakSettings {
    if (minutes < 1 || sockets < 1 || users < 1 || users > sockets || rate < 1 || ordersPerMinute < 0) {
      throw new IllegalArgumentException("need minutes, sockets, rate >= 1, 1 <= users <= sockets, orders-per-minute >= 0");
    }
    if (quietSeconds < 0 || quietSeconds * 2 > sampleSeconds) {
      throw new IllegalArgumentException("quiet must be 0 or more seconds and at most half of sample, got quiet="
          + quietSeconds + " sample=" + sampleSeconds);
    }
    if (sampleSeconds < 10 || warmupMinutes < 0 || warmupMinutes >= minutes) {
      throw new IllegalArgumentException("sample must be >= 10 s and warmup shorter than the run, got sample="
          + sampleSeconds + " warmup=" + warmupMinutes + " minutes=" + minutes);
    }
    new PasswordHashing(hashIterations);
  }

  static SoakSettings parse(String[] args) {
    Map<String, String> given = new LinkedHashMap<>();
    for (String arg : args) {
      String[] pair = arg.split("=", 2);
      if (pair.length != 2 || !NAMES.contains(pair[0])) {
        throw new IllegalArgumentException("unknown argument '" + arg + "': use name=value, see bin/benchmark-soak");
      }
      given.put(pair[0], pair[1]);
    }
    int sockets = number(given, "sockets", 1000);
    return new SoakSettings(number(given, "minutes", 60), sockets, number(given, "users", sockets),
        number(given, "rate", 10_000), number(given, "orders-per-minute", 600), number(given, "sample", 60),
        number(given, "warmup", 5), number(given, "quiet", 3), number(given, "iterations", PasswordHashing.MIN_ITERATIONS));
  }

  private static int number(Map<String, String> given, String name, int fallback) {
    return given.containsKey(name) ? Integer.parseInt(given.get(name)) : fallback;
  }

  int[] socketsPerUser() {
    return ScaleSettings.spread(sockets, users);
  }

  String command() {
    return "bin/benchmark-soak minutes=" + minutes + " sockets=" + sockets + " users=" + users + " rate=" + rate
        + " orders-per-minute=" + ordersPerMinute + " sample=" + sampleSeconds  + " warmup=" + warmupMinutes
        + " quiet=" + quietSeconds + " iterations=" + hashIterations;
  }
}
