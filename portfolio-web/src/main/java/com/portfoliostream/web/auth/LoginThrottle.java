package com.portfoliostream.web.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import java.time.Duration;
import java.util.List;

/**
 * Counts failed logins per username and per client address across the whole cluster. After
 * {@link #SLOW_DOWN_AFTER} failures of a username each attempt waits longer; after
 * {@link #LOCK_AFTER} the username is refused until {@link #WINDOW} has passed since its last
 * failure. An address (many users may share one behind a NAT) is refused after
 * {@link #ADDRESS_LOCK_AFTER}. Counts live in a clustered map with a time-to-live, so they vanish
 * on their own.
 */
public final class LoginThrottle {

  public static final int SLOW_DOWN_AFTER = 3;
  public static final int LOCK_AFTER = 10;
  public static final int ADDRESS_LOCK_AFTER = 100;
  public static final Duration WINDOW = Duration.ofMinutes(15);
  private static final long MAX_DELAY_MS = 2_000;
  private static final long DELAY_STEP_MS = 250;
  private static final String MAP = "portfolio.login-failures";

  /** What to do with an attempt: refuse it, or let it through after a delay. */
  public record Verdict(boolean refused, long delayMs) {}

  private final Vertx vertx;

  public LoginThrottle(Vertx vertx) {
    this.vertx = vertx;
  }

  public Future<Verdict> check(String username, String address) {
    return map().compose(map -> Future.all(map.get(userKey(username)), map.get(addressKey(address)))
        .map(both -> {
          int failures = count(both.resultAt(0));
          if (failures >= LOCK_AFTER || count(both.resultAt(1)) >= ADDRESS_LOCK_AFTER) {
            return new Verdict(true, 0);
          }
          long delay = failures < SLOW_DOWN_AFTER ? 0
              : Math.min(MAX_DELAY_MS, DELAY_STEP_MS * (failures - SLOW_DOWN_AFTER + 1));
          return new Verdict(false, delay);
        }));
  }

  /** Concurrent failures on several nodes may undercount by a few; the bound still holds. */
  public Future<Void> recordFailure(String username, String address) {
    return map().compose(map -> Future.all(
        List.of(increment(map, userKey(username)), increment(map, addressKey(address))))).mapEmpty();
  }

  public Future<Void> recordSuccess(String username) {
    return map().compose(map -> map.remove(userKey(username))).mapEmpty();
  }

  private Future<Void> increment(AsyncMap<String, Integer> map, String key) {
    return map.get(key).compose(current -> map.put(key, count(current) + 1, WINDOW.toMillis()));
  }

  private Future<AsyncMap<String, Integer>> map() {
    return vertx.sharedData().getAsyncMap(MAP);
  }

  private static int count(Object value) {
    return value == null ? 0 : (Integer) value;
  }

  private static String userKey(String username) {
    return "user:" + username.toLowerCase();
  }

  private static String addressKey(String address) {
    return "addr:" + address;
  }
}
