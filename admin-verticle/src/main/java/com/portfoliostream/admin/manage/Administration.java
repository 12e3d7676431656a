package com.portfoliostream.admin.manage;

import com.portfoliostream.broker.rest.AlpacaApiException;
import com.portfoliostream.broker.rest.AlpacaCredentials;
import com.portfoliostream.broker.rest.AlpacaRestClient;
import com.portfoliostream.common.control.ControlSignals;
import com.portfoliostream.common.control.RolloutPolicy;
import com.portfoliostream.common.control.RolloutStore;
import com.portfoliostream.common.security.CredentialCipher;
import com.portfoliostream.common.security.PasswordHashing;
import com.portfoliostream.web.auth.UserAccounts;
import com.portfoliostream.web.auth.Usernames;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Every administrative change, shared by the admin API and the CLI: users (create, disable,
 * enable, reset password, delete), broker accounts (link, test, rotate the secret, unlink) and the
 * real-time rollout. Each runs in one transaction with its audit entry and the change signal that
 * tells every node ({@link ControlSignals}); a refusal writes nothing but a "refused" audit entry and
 * fails with a {@link Refusal}. Secrets are sealed with the node's {@link CredentialCipher}, bound to
 * their row, and never returned, logged or audited.
 */
public final class Administration {

  public static final Set<String> ENVIRONMENTS = Set.of("simulator", "paper", "live");
  public static final int MAX_SECRET_LENGTH = 256;
  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final int MAX_USERS_LISTED = 1_000;

  private static final String USERS = "SELECT u.id, u.username, u.role, u.created_at, u.disabled_at, "
      + "(SELECT count(*) FROM web_sessions s WHERE s.owner = u.id::text AND s.expires_at > now()) AS sessions, "
      + "a.environment, a.api_key_id, a.created_at AS linked_at, a.secret_rotated_at, a.unlinked_at "
      + "FROM users u LEFT JOIN broker_accounts a ON a.user_id = u.id "
      + "WHERE ($1::text IS NULL OR u.username > $1) ORDER BY u.username LIMIT " + MAX_USERS_LISTED;
  private static final String USER_BY_NAME = "SELECT id, role, disabled_at FROM users WHERE username = $1 FOR UPDATE";
  private static final String ACCOUNT_OF = "SELECT id, environment, api_key_id, api_secret_cipher, unlinked_at "
      + "FROM broker_accounts WHERE user_id = $1 FOR UPDATE";
  private static final String HAS_HISTORY = "SELECT EXISTS (SELECT 1 FROM orders WHERE account_id = $1) "
      + "OR EXISTS (SELECT 1 FROM trades WHERE account_id = $1) "
      + "OR EXISTS (SELECT 1 FROM positions WHERE account_id = $1) AS history";
  private static final String END_SESSIONS = "DELETE FROM web_sessions WHERE owner = $1";
  private static final String OTHER_ENABLED_ADMINS =
      "SELECT count(*) AS n FROM users WHERE role = 'admin' AND disabled_at IS NULL AND id <> $1";

  private final Vertx vertx;
  private final Pool pool;
  private final PasswordHashing hashing;
  private final CredentialCipher cipher;
  private final Optional<AlpacaRestClient> broker;

  /** {@code broker} empty: credentials are linked without asking the broker first (the CLI's --no-test). */
  public Administration(Vertx vertx, Pool pool, PasswordHashing hashing, CredentialCipher cipher,
      Optional<AlpacaRestClient> broker) {
    this.vertx = vertx;
    this.pool = pool;
    this.hashing = hashing;
    this.cipher = cipher;
    this.broker = broker;
  }

  // ---- users ----

  public Future<JsonArray> listUsers(Actor actor, String after) {
    return Future.all(pool.preparedQuery(USERS).execute(Tuple.of(after)), RolloutStore.read(pool)).compose(both -> {
      RolloutPolicy rollout = both.resultAt(1);
      JsonArray users = new JsonArray();
      for (Row row : both.<io.vertx.sqlclient.RowSet<Row>>resultAt(0)) {
        users.add(describeUser(row, rollout));
      }
      return AuditLog.record(pool, actor, "users.list", null, "ok", new JsonObject().put("count", users.size()))
          .map(users);
    });
  }

  public Future<JsonObject> createUser(Actor actor, String username, String password, String role) {
    JsonObject details = new JsonObject().put("role", role);
    Map<String, String> problems = UserAccounts.problems(username, password, role);
    if (!problems.isEmpty()) {
      return refusedAs(actor, "users.create", username, details,
          Refusal.invalid("The user cannot be created as given", problems));
    }
    return hashing.hash(vertx, password).compose(hash -> audited(actor, "users.create", username, details, conn ->
        conn.preparedQuery("INSERT INTO users (username, password_hash, role) VALUES ($1, $2, $3) "
            + "ON CONFLICT (username) DO NOTHING RETURNING id, created_at").execute(Tuple.of(username, hash, role))
            .compose(rows -> rows.size() == 0
                ? Future.failedFuture(Refusal.conflict("A user named " + username + " exists already"))
                : Future.succeededFuture(new JsonObject().put("userId", rows.iterator().next().getUUID("id").toString())
                    .put("username", username).put("role", role).put("disabled", false)))));
  }

  public Future<JsonObject> disableUser(Actor actor, String username) {
    return audited(actor, "users.disable", username, new JsonObject(), conn -> user(conn, username).compose(user ->
        keepsAnAdmin(conn, user, "disable").compose(v -> conn.preparedQuery(
                "UPDATE users SET disabled_at = coalesce(disabled_at, now()) WHERE id = $1").execute(Tuple.of(user.id())))
            .compose(v -> conn.preparedQuery(END_SESSIONS).execute(Tuple.of(user.id().toString())))
            .compose(ended -> ControlSignals.bump(conn, ControlSignals.Kind.USERS)
                .map(v -> new JsonObject().put("username", username).put("disabled", true)
                    .put("sessionsEnded", ended.rowCount())))));
  }

  public Future<JsonObject> enableUser(Actor actor, String username) {
    return audited(actor, "users.enable", username, new JsonObject(), conn -> user(conn, username).compose(user ->
        conn.preparedQuery("UPDATE users SET disabled_at = NULL WHERE id = $1").execute(Tuple.of(user.id()))
            .compose(v -> ControlSignals.bump(conn, ControlSignals.Kind.USERS))
            .map(v -> new JsonObject().put("username", username).put("disabled", false))));
  }

  /** A new password; the user's sessions end (every device signs in again with it). */
  public Future<JsonObject> resetPassword(Actor actor, String username, String password) {
    Map<String, String> problems = new LinkedHashMap<>(UserAccounts.problems(username, password, UserAccounts.TRADER));
    problems.remove("username");
    if (!problems.isEmpty()) {
      return refusedAs(actor, "users.reset-password", username, new JsonObject(),
          Refusal.invalid("The password cannot be used", problems));
    }
    return hashing.hash(vertx, password).compose(hash -> audited(actor, "users.reset-password", username,
        new JsonObject(), conn -> user(conn, username).compose(user ->
            conn.preparedQuery("UPDATE users SET password_hash = $2 WHERE id = $1").execute(Tuple.of(user.id(), hash))
                .compose(v -> conn.preparedQuery(END_SESSIONS).execute(Tuple.of(user.id().toString())))
                .compose(ended -> ControlSignals.bump(conn, ControlSignals.Kind.USERS)
                    .map(v -> new JsonObject().put("username", username).put("sessionsEnded", ended.rowCount()))))));
  }

  /**
   * Deletes a user who holds no broker account. A user with one is unlinked first; one whose
   * account has history (orders, trades, positions: the record) can only be disabled.
   */
  public Future<JsonObject> deleteUser(Actor actor, String username) {
    return audited(actor, "users.delete", username, new JsonObject(), conn -> user(conn, username).compose(user ->
        keepsAnAdmin(conn, user, "delete")
            .compose(v -> conn.preparedQuery(ACCOUNT_OF).execute(Tuple.of(user.id())))
            .compose(accounts -> {
              if (accounts.size() > 0) {
                Row account = accounts.iterator().next();
                return Future.failedFuture(Refusal.conflict(account.getOffsetDateTime("unlinked_at") == null
                    ? username + " has a linked broker account: unlink it first"
                    : username + "'s broker account has trading history, which is kept: disable the user instead"));
              }
              return conn.preparedQuery(END_SESSIONS).execute(Tuple.of(user.id().toString()))
                  .compose(v -> conn.preparedQuery("DELETE FROM users WHERE id = $1").execute(Tuple.of(user.id())))
                  .compose(v -> ControlSignals.bump(conn, ControlSignals.Kind.USERS))
                  .map(v -> new JsonObject().put("username", username).put("deleted", true));
            })));
  }

  // ---- broker accounts ----

  /**
   * Links {@code username}'s broker account, after the broker accepted the credentials (unless this
   * administration was made without a broker). Linking the key of the user's unlinked account
   * again brings that account, and its history, back.
   */
  public Future<JsonObject> linkAccount(Actor actor, String username, String environment, String keyId, String secret) {
    JsonObject details = new JsonObject().put("environment", environment).put("keyId", keyId)
        .put("tested", broker.isPresent());
    Map<String, String> problems = accountProblems(environment, keyId, secret);
    if (!problems.isEmpty()) {
      return refusedAs(actor, "accounts.link", username, details, Refusal.invalid("The account cannot be linked as given", problems));
    }
    return preconditionsOfLink(username).compose(ok -> tested(keyId, secret)).recover(e -> refusedAs(actor, "accounts.link", username, details, e))
        .compose(ok -> audited(actor, "accounts.link", username, details, conn -> user(conn, username)
            .compose(user -> conn.preparedQuery(ACCOUNT_OF).execute(Tuple.of(user.id())).compose(rows -> {
              if (rows.size() == 0) {
                UUID accountId = UUID.randomUUID();
                return conn.preparedQuery("INSERT INTO broker_accounts (id, user_id, environment, api_key_id, api_secret_cipher) "
                        + "VALUES ($1, $2, $3, $4, $5)")
                    .execute(Tuple.of(accountId, user.id(), environment, keyId, Buffer.buffer(cipher.encrypt(secret, accountId.toString()))))
                    .map(accountId);
              }
              Row existing = rows.iterator().next();
              UUID accountId = existing.getUUID("id");
              if (existing.getOffsetDateTime("unlinked_at") == null) {
                return Future.failedFuture(Refusal.conflict(username + " has a linked broker account already: "
                    + "rotate its secret, or unlink it first"));
              }
              if (!existing.getString("environment").equals(environment) || !existing.getString("api_key_id").equals(keyId)) {
                return Future.failedFuture(Refusal.conflict(username + "'s earlier account (" + existing.getString("environment")
                    + ", key " + existing.getString("api_key_id") + ") has trading history, which is kept: link that key "
                    + "again, or create a new user for another account"));
              }
              return conn.preparedQuery("UPDATE broker_accounts SET api_secret_cipher = $2, unlinked_at = NULL, "
                      + "secret_rotated_at = now() WHERE id = $1")
                  .execute(Tuple.of(accountId, Buffer.buffer(cipher.encrypt(secret, accountId.toString())))).map(accountId);
            }).recover(e -> Future.failedFuture(keyTaken(e) ? Refusal.conflict(
                "This API key is linked to another user") : e)))
            .compose(accountId -> ControlSignals.bump(conn, ControlSignals.Kind.ACCOUNTS).map(bumped -> new JsonObject()
                .put("username", username).put("accountId", accountId.toString()).put("environment", environment)
                .put("keyId", keyId).put("status", "linked")))));
  }

  /** A new secret for the linked account's key, tested first; its stream logs in again with it. */
  public Future<JsonObject> rotateSecret(Actor actor, String username, String secret) {
    JsonObject details = new JsonObject().put("tested", broker.isPresent());
    if (secret == null || secret.isBlank() || secret.length() > MAX_SECRET_LENGTH) {
      return refusedAs(actor, "accounts.rotate", username, details, Refusal.invalid("The secret cannot be used",
          Map.of("secret", "required, 1 to " + MAX_SECRET_LENGTH + " characters")));
    }
    return linkedAccount(username).compose(account -> tested(account.getString("api_key_id"), secret).map(account))
        .recover(e -> refusedAs(actor, "accounts.rotate", username, details, e))
        .compose(account -> audited(actor, "accounts.rotate", username, details.put("keyId", account.getString("api_key_id")),
            conn -> conn.preparedQuery("UPDATE broker_accounts SET api_secret_cipher = $2, secret_rotated_at = now() "
                    + "WHERE id = $1 AND unlinked_at IS NULL RETURNING id")
                .execute(Tuple.of(account.getUUID("id"), Buffer.buffer(cipher.encrypt(secret, account.getUUID("id").toString()))))
                .compose(rows -> rows.rowCount() == 0 ? Future.failedFuture(Refusal.notFound(username + " has no linked broker account"))
                    : ControlSignals.bump(conn, ControlSignals.Kind.ACCOUNTS))
                .map(v -> new JsonObject().put("username", username).put("keyId", account.getString("api_key_id"))
                    .put("status", "linked").put("secretRotated", true))));
  }

  /** Asks the broker whether the stored credentials still work; changes nothing. */
  public Future<JsonObject> testAccount(Actor actor, String username) {
    JsonObject details = new JsonObject();
    return linkedAccount(username).compose(account -> {
      UUID id = account.getUUID("id");
      String secret = cipher.decrypt(account.getBuffer("api_secret_cipher").getBytes(), id.toString());
      details.put("keyId", account.getString("api_key_id"));
      return tested(account.getString("api_key_id"), secret).map(v -> new JsonObject().put("username", username)
          .put("keyId", account.getString("api_key_id")).put("brokerAccepted", true));
    }).recover(e -> refusedAs(actor, "accounts.test", username, details, e))
        .compose(result -> AuditLog.record(pool, actor, "accounts.test", username, "ok", details).map(result));
  }

  /**
   * Unlinks the user's account: ingest gives up its stream at once, and no order can use it. With
   * history the row stays (its orders, trades and positions are the record) without its secret;
   * without, it is deleted.
   */
  public Future<JsonObject> unlinkAccount(Actor actor, String username) {
    return audited(actor, "accounts.unlink", username, new JsonObject(), conn -> user(conn, username)
        .compose(user -> conn.preparedQuery(ACCOUNT_OF).execute(Tuple.of(user.id())))
        .compose(rows -> {
          if (rows.size() == 0 || rows.iterator().next().getOffsetDateTime("unlinked_at") != null) {
            return Future.failedFuture(Refusal.notFound(username + " has no linked broker account"));
          }
          UUID accountId = rows.iterator().next().getUUID("id");
          return conn.preparedQuery(HAS_HISTORY).execute(Tuple.of(accountId)).compose(history -> {
            boolean kept = history.iterator().next().getBoolean("history");
            Future<?> done = kept
                ? conn.preparedQuery("UPDATE broker_accounts SET unlinked_at = now(), api_secret_cipher = '\\x'::bytea WHERE id = $1")
                    .execute(Tuple.of(accountId))
                : conn.preparedQuery("DELETE FROM broker_accounts WHERE id = $1").execute(Tuple.of(accountId));
            return done.compose(v -> ControlSignals.bump(conn, ControlSignals.Kind.ACCOUNTS))
                .map(v -> new JsonObject().put("username", username).put("status", "unlinked").put("historyKept", kept));
          });
        }));
  }

  // ---- rollout ----

  public Future<JsonObject> rollout(Actor actor) {
    return describeRollout();
  }

  /** Sets the switch and/or the percentage (null leaves it). */
  public Future<JsonObject> setRollout(Actor actor, Boolean enabled, Integer percentage) {
    JsonObject details = new JsonObject().put("enabled", enabled).put("percentage", percentage);
    if (percentage != null && (percentage < 0 || percentage > 100)) {
      return refusedAs(actor, "rollout.set", null, details, Refusal.invalid("The rollout cannot be set so",
          Map.of("percentage", "a whole number from 0 to 100")));
    }
    if (enabled == null && percentage == null) {
      return refusedAs(actor, "rollout.set", null, details, Refusal.invalid("Nothing to change",
          Map.of("enabled", "true or false, and/or percentage 0..100")));
    }
    return audited(actor, "rollout.set", null, details, conn -> conn.preparedQuery("UPDATE realtime_rollout SET "
            + "enabled = coalesce($1, enabled), percentage = coalesce($2, percentage), updated_at = now(), updated_by = $3 "
            + "WHERE id = 1").execute(Tuple.of(enabled, percentage, actor.name()))
        .compose(v -> ControlSignals.bump(conn, ControlSignals.Kind.ROLLOUT)).map(v -> new JsonObject()))
        .compose(v -> describeRollout());
  }

  /** Puts the user on the allowlist or the denylist ({@code list}), or takes them off both ({@code null}). */
  public Future<JsonObject> listUser(Actor actor, String username, String list) {
    String action = list == null ? "rollout.clear" : "rollout." + list;
    if (list != null && !list.equals("allow") && !list.equals("deny")) {
      return refusedAs(actor, "rollout.set", username, new JsonObject(), Refusal.invalid("Unknown list",
          Map.of("list", "allow or deny")));
    }
    return audited(actor, action, username, new JsonObject(), conn -> user(conn, username).compose(user -> (list == null
            ? conn.preparedQuery("DELETE FROM realtime_rollout_users WHERE user_id = $1").execute(Tuple.of(user.id()))
            : conn.preparedQuery("INSERT INTO realtime_rollout_users (user_id, list) VALUES ($1, $2) "
                + "ON CONFLICT (user_id) DO UPDATE SET list = EXCLUDED.list, added_at = now()").execute(Tuple.of(user.id(), list)))
        .compose(v -> ControlSignals.bump(conn, ControlSignals.Kind.ROLLOUT)).map(v -> new JsonObject())))
        .compose(v -> describeRollout());
  }

  private Future<JsonObject> describeRollout() {
    return Future.all(RolloutStore.read(pool), pool.query("SELECT r.updated_at, r.updated_by, "
            + "(SELECT coalesce(json_agg(json_build_object('username', u.username, 'list', l.list) ORDER BY u.username), '[]') "
            + "FROM realtime_rollout_users l JOIN users u ON u.id = l.user_id)::text AS lists FROM realtime_rollout r WHERE r.id = 1")
        .execute(), pool.query("SELECT id FROM users WHERE role = 'trader' AND disabled_at IS NULL").execute())
        .map(all -> {
          RolloutPolicy policy = all.resultAt(0);
          Row row = all.<io.vertx.sqlclient.RowSet<Row>>resultAt(1).iterator().next();
          int traders = 0;
          int admitted = 0;
          for (Row trader : all.<io.vertx.sqlclient.RowSet<Row>>resultAt(2)) {
            traders++;
            admitted += policy.admits(trader.getUUID("id")) ? 1 : 0;
          }
          JsonArray lists = new JsonArray(row.getString("lists"));
          JsonArray allow = new JsonArray();
          JsonArray deny = new JsonArray();
          lists.forEach(o -> ("allow".equals(((JsonObject) o).getString("list")) ? allow : deny)
              .add(((JsonObject) o).getString("username")));
          return new JsonObject().put("enabled", policy.enabled()).put("percentage", policy.percentage())
              .put("allow", allow).put("deny", deny).put("tradersAdmitted", admitted).put("traders", traders)
              .put("updatedAt", row.getOffsetDateTime("updated_at").toInstant().toString())
              .put("updatedBy", row.getString("updated_by"));
        });
  }

  // ---- audit ----

  public Future<JsonArray> audit(int limit, Long before) {
    return AuditLog.page(pool, limit, before);
  }

  // ---- helpers ----

  private record StoredUser(UUID id, String role, boolean disabled) {}

  private static Future<StoredUser> user(SqlConnection conn, String username) {
    return conn.preparedQuery(USER_BY_NAME).execute(Tuple.of(username == null ? "" : username)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(Refusal.notFound("No user named " + username));
      }
      Row row = rows.iterator().next();
      return Future.succeededFuture(new StoredUser(row.getUUID("id"), row.getString("role"),
          row.getOffsetDateTime("disabled_at") != null));
    });
  }

  /** The last enabled admin is neither disabled nor deleted: someone must be able to undo it. */
  private static Future<Void> keepsAnAdmin(SqlConnection conn, StoredUser user, String what) {
    if (!UserAccounts.ADMIN.equals(user.role()) || user.disabled()) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery(OTHER_ENABLED_ADMINS).execute(Tuple.of(user.id())).compose(rows ->
        rows.iterator().next().getLong("n") == 0
            ? Future.failedFuture(Refusal.conflict("This is the last enabled admin: create another before you " + what + " it"))
            : Future.succeededFuture());
  }

  /** The user exists and is a trader, before the broker is asked anything. */
  private Future<Void> preconditionsOfLink(String username) {
    return pool.preparedQuery("SELECT role FROM users WHERE username = $1").execute(Tuple.of(username)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(Refusal.notFound("No user named " + username));
      }
      if (!UserAccounts.TRADER.equals(rows.iterator().next().getString("role"))) {
        return Future.failedFuture(Refusal.invalid("Only traders hold broker accounts", Map.of("username", "not a trader")));
      }
      return Future.succeededFuture();
    });
  }

  private Future<Row> linkedAccount(String username) {
    return pool.preparedQuery("SELECT a.id, a.api_key_id, a.api_secret_cipher FROM broker_accounts a JOIN users u ON u.id = a.user_id "
        + "WHERE u.username = $1 AND a.unlinked_at IS NULL").execute(Tuple.of(username)).compose(rows -> rows.size() == 0
        ? Future.failedFuture(Refusal.notFound("No linked broker account for " + username))
        : Future.succeededFuture(rows.iterator().next()));
  }

  /** Succeeds when the broker answers GET /v2/account for these credentials (or no broker is asked). */
  private Future<Void> tested(String keyId, String secret) {
    if (broker.isEmpty()) {
      return Future.succeededFuture();
    }
    return broker.get().account(new AlpacaCredentials(keyId, secret)).<Void>mapEmpty().recover(e -> {
      if (e instanceof AlpacaApiException api && api.status() != AlpacaApiException.NO_ANSWER) {
        return Future.failedFuture(new Refusal(Refusal.Kind.BROKER_REFUSED, "The broker refused these credentials (HTTP "
            + api.status() + "); nothing was saved", Map.of()));
      }
      return Future.failedFuture(new Refusal(Refusal.Kind.BROKER_REFUSED,
          "The broker did not answer, so the credentials could not be tested; nothing was saved", Map.of()));
    });
  }

  static Map<String, String> accountProblems(String environment, String keyId, String secret) {
    Map<String, String> problems = new LinkedHashMap<>();
    if (environment == null || !ENVIRONMENTS.contains(environment)) {
      problems.put("environment", "one of simulator, paper, live");
    }
    if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
      problems.put("keyId", "1 to 64 of A-Z, a-z, 0-9, '_', '-'");
    }
    if (secret == null || secret.isBlank() || secret.length() > MAX_SECRET_LENGTH) {
      problems.put("secret", "required, 1 to " + MAX_SECRET_LENGTH + " characters");
    }
    return problems;
  }

  private static boolean keyTaken(Throwable e) {
    return e instanceof PgException pg && "23505".equals(pg.getSqlState())
        && String.valueOf(pg.getConstraint()).equals("broker_accounts_key_unique");
  }

  private static JsonObject describeUser(Row row, RolloutPolicy rollout) {
    UUID id = row.getUUID("id");
    JsonObject user = new JsonObject().put("userId", id.toString()).put("username", row.getString("username"))
        .put("role", row.getString("role")).put("createdAt", instant(row.getOffsetDateTime("created_at")))
        .put("disabled", row.getOffsetDateTime("disabled_at") != null)
        .put("disabledAt", instant(row.getOffsetDateTime("disabled_at")))
        .put("sessions", row.getLong("sessions")).put("realtime", rollout.admits(id));
    if (row.getString("api_key_id") != null) {
      user.put("account", new JsonObject().put("environment", row.getString("environment"))
          .put("keyId", row.getString("api_key_id"))
          .put("status", row.getOffsetDateTime("unlinked_at") == null ? "linked" : "unlinked")
          .put("linkedAt", instant(row.getOffsetDateTime("linked_at")))
          .put("secretRotatedAt", instant(row.getOffsetDateTime("secret_rotated_at")))
          .put("unlinkedAt", instant(row.getOffsetDateTime("unlinked_at"))));
    } else {
      user.putNull("account");
    }
    return user;
  }

  private static String instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant().toString();
  }

  /** Runs {@code work} in a transaction with its "ok" audit entry; a failure is audited (refused or failed) apart. */
  private <T> Future<T> audited(Actor actor, String action, String target, JsonObject details,
      Function<SqlConnection, Future<T>> work) {
    return pool.<T>withTransaction(conn -> work.apply(conn)
            .compose(result -> AuditLog.record(conn, actor, action, target, "ok", details).map(result)))
        .recover(e -> refusedAs(actor, action, target, details, e));
  }

  private <T> Future<T> refusedAs(Actor actor, String action, String target, JsonObject details, Throwable e) {
    JsonObject entry = details.copy().put("reason", e instanceof Refusal ? e.getMessage() : "internal error");
    if (e instanceof Refusal refusal && !refusal.details().isEmpty()) {
      entry.put("fields", new JsonObject(Map.copyOf(refusal.details())));
    }
    return AuditLog.record(pool, actor, action, target, e instanceof Refusal ? "refused" : "failed", entry)
        .transform(ignored -> Future.failedFuture(e));
  }
}
