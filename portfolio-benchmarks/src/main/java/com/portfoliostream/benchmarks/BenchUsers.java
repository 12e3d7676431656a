package com.portfoliostream.benchmarks;

import com.portfoliostream.common.security.PasswordHashing;
import com.portfoliostream.web.auth.UserAccounts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** A benchmark's traders, created through the product's own path ({@link UserAccounts}). */
final class BenchUsers {

  /** Hashes in flight at once: one per core, so creating thousands does not queue on the worker pool. */
  private static final int PARALLEL = Runtime.getRuntime().availableProcessors();

  private BenchUsers() {}

  /** Creates traders {@code prefix + 0 .. count - 1}, all with {@code password}; returns their ids in that order. */
  static List<UUID> create(Vertx vertx, Pool pool, PasswordHashing hashing, String prefix, int count, String password)
      throws Exception {
    UserAccounts accounts = new UserAccounts(vertx, pool, hashing);
    List<UUID> ids = new ArrayList<>(count);
    for (int from = 0; from < count; from += PARALLEL) {
      List<Future<UUID>> batch = new ArrayList<>();
      for (int u = from; u < Math.min(count, from + PARALLEL); u++) {
        batch.add(accounts.create(prefix + u, password, UserAccounts.TRADER));
      }
      Future.all(batch).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
      batch.forEach(created -> ids.add(created.result()));
    }
    return ids;
  }

  /** The users' rows as a peer server is given them: id, username, password hash (PHC string), role. */
  static JsonArray rows(Pool pool, List<String> usernames) throws Exception {
    JsonArray rows = new JsonArray();
    pool.preparedQuery("SELECT id, username, password_hash, role FROM users WHERE username = ANY($1)")
        .execute(Tuple.of(usernames.toArray(String[]::new))).toCompletionStage().toCompletableFuture()
        .get(60, TimeUnit.SECONDS)
        .forEach(row -> rows.add(new JsonObject().put("id", row.getUUID("id").toString())
            .put("username", row.getString("username")).put("passwordHash", row.getString("password_hash"))
            .put("role", row.getString("role"))));
    return rows;
  }
}
