package com.portfoliostream.web.auth;

import com.portfoliostream.common.security.PasswordHashing;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Creates sign-in accounts: the one way a user row is written (the benchmarks now, an admin API and
 * a CLI later). The username must be one sign-in can find ({@link Usernames}), the password at
 * least {@link #MIN_PASSWORD_LENGTH} characters and not the username nor containing it, the role
 * {@link #TRADER} or {@link #ADMIN}. The password is hashed on a worker, with the iterations of the
 * {@link PasswordHashing} given (the node's PASSWORD_HASH_ITERATIONS). A refusal is an
 * {@link AccountRefused} with its reason, and writes nothing.
 */
public final class UserAccounts {

  public static final String TRADER = "trader";
  public static final String ADMIN = "admin";
  public static final Set<String> ROLES = Set.of(TRADER, ADMIN);
  public static final int MIN_PASSWORD_LENGTH = 12;
  /** The longest password sign-in accepts. */
  public static final int MAX_PASSWORD_LENGTH = 1024;

  private static final String INSERT_USER = "INSERT INTO users (username, password_hash, role) VALUES ($1, $2, $3) "
      + "ON CONFLICT (username) DO NOTHING RETURNING id";

  private final Vertx vertx;
  private final Pool pool;
  private final PasswordHashing hashing;

  public UserAccounts(Vertx vertx, Pool pool, PasswordHashing hashing) {
    this.vertx = vertx;
    this.pool = pool;
    this.hashing = hashing;
  }

  /** The new user's id; fails with {@link AccountRefused} (INVALID or USERNAME_TAKEN), or a database error. */
  public Future<UUID> create(String username, String password, String role) {
    Map<String, String> problems = problems(username, password, role);
    if (!problems.isEmpty()) {
      return Future.failedFuture(AccountRefused.invalid(problems));
    }
    return hashing.hash(vertx, password)
        .compose(hash -> pool.preparedQuery(INSERT_USER).execute(Tuple.of(username, hash, role)))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(AccountRefused.taken(username))
            : Future.succeededFuture(rows.iterator().next().getUUID("id")));
  }

  /** Field → what is wrong with it; empty when the account may be created. Never quotes the password. */
  public static Map<String, String> problems(String username, String password, String role) {
    Map<String, String> problems = new LinkedHashMap<>();
    Usernames.problem(username).ifPresent(problem -> problems.put("username", problem));
    if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
      problems.put("password", "at least " + MIN_PASSWORD_LENGTH + " characters");
    } else if (password.length() > MAX_PASSWORD_LENGTH) {
      problems.put("password", "at most " + MAX_PASSWORD_LENGTH + " characters");
    } else if (!problems.containsKey("username") && containsIgnoringCase(password, username)) {
      problems.put("password", "must not be or contain the username");
    }
    if (role == null || !ROLES.contains(role)) {
      problems.put("role", "one of " + TRADER + ", " + ADMIN);
    }
    return problems;
  }

  private static boolean containsIgnoringCase(String text, String part) {
    return text.toLowerCase(Locale.ROOT).contains(part.toLowerCase(Locale.ROOT));
  }
}
