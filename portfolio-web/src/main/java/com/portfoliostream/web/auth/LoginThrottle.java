package com.portfoliostream.web.auth;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Sign-in attempts, counted across the cluster in PostgreSQL. An attempt is <em>reserved</em>
 * atomically (one upsert) before its password is hashed and counts as a failure until it
 * succeeds, so a thousand parallel guesses cannot all pass before the first failure is counted:
 * at most {@link #LOCK_AFTER} of them reach the hasher. The lock is per (username, address), so an
 * attacker elsewhere cannot lock a user out; an address is refused after
 * {@link #ADDRESS_LOCK_AFTER}; failures of a username from anywhere slow its attempts down after
 * {@link #SLOW_DOWN_AFTER}. Counts lapse {@link #WINDOW} after the last attempt.
 */
public final class LoginThrottle {

  public static final int SLOW_DOWN_AFTER = 3;
  public static final int LOCK_AFTER = 10;
  public static final int ADDRESS_LOCK_AFTER = 100;
  public static final Duration WINDOW = Duration.ofMinutes(15);
  private static final long MAX_DELAY_MS = 2_000;
  private static final long DELAY_STEP_MS = 250;
  private static final int MAX_KEY = 200;

  /** $1 pair key, $2 address key, $3 username key, $4 the window in milliseconds. */
  private static final String RESERVE = "INSERT INTO login_attempts (key, attempts, expires_at) "
      + "SELECT k, 1, now() + $4 * interval '1 millisecond' FROM unnest(ARRAY[$1, $2, $3]::text[]) AS k "
      + "ON CONFLICT (key) DO UPDATE SET attempts = CASE WHEN login_attempts.expires_at < now() THEN 1 "
      + "ELSE login_attempts.attempts + 1 END, expires_at = EXCLUDED.expires_at RETURNING key, attempts";
  /** A success forgets the pair's and the username's failures and gives the address its attempt back. */
  private static final String SUCCEEDED = "WITH forgotten AS (DELETE FROM login_attempts WHERE key IN ($1, $3)) "
      + "UPDATE login_attempts SET attempts = greatest(attempts - 1, 0) WHERE key = $2";
  private static final String PURGE = "DELETE FROM login_attempts WHERE expires_at < now()";

  /** What to do with an attempt: refuse it, or let it through after a delay. */
  public record Verdict(boolean refused, long delayMs) {}

  private final Pool pool;

  public LoginThrottle(Pool pool) {
    this.pool = pool;
  }

  /** Counts the attempt (as a failure until {@link #succeeded}) and says whether it may go on. */
  public Future<Verdict> reserve(String username, String address) {
    Keys keys = new Keys(username, address);
    return pool.preparedQuery(RESERVE).execute(Tuple.of(keys.pair, keys.address, keys.user, WINDOW.toMillis()))
        .map(rows -> {
          Map<String, Integer> counts = new HashMap<>();
          for (Row row : rows) {
            counts.put(row.getString("key"), row.getInteger("attempts"));
          }
          return verdict(counts.getOrDefault(keys.pair, 0), counts.getOrDefault(keys.address, 0),
              counts.getOrDefault(keys.user, 0));
        });
  }

  public Future<Void> succeeded(String username, String address) {
    Keys keys = new Keys(username, address);
    return pool.preparedQuery(SUCCEEDED).execute(Tuple.of(keys.pair, keys.address, keys.user)).mapEmpty();
  }

  /** Deletes lapsed counts (the table is otherwise bounded by the window). */
  public Future<Void> purge() {
    return pool.query(PURGE).execute().mapEmpty();
  }

  /** The attempt being judged is counted in {@code pair}, {@code address} and {@code user}. */
  static Verdict verdict(int pair, int address, int user) {
    if (pair > LOCK_AFTER || address > ADDRESS_LOCK_AFTER) {
      return new Verdict(true, 0);
    }
    int failuresBefore = user - 1;
    long delay = failuresBefore < SLOW_DOWN_AFTER ? 0
        : Math.min(MAX_DELAY_MS, DELAY_STEP_MS * (failuresBefore - SLOW_DOWN_AFTER + 1));
    return new Verdict(false, delay);
  }

  private record Keys(String pair, String address, String user) {
    Keys(String username, String address) {
      this(bounded("pair:" + username.toLowerCase() + "|" + address), bounded("addr:" + address),
          bounded("user:" + username.toLowerCase()));
    }

    private static String bounded(String key) {
      return key.length() <= MAX_KEY ? key : key.substring(0, MAX_KEY);
    }
  }
}
