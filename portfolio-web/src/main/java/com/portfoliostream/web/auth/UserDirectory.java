package com.portfoliostream.web.auth;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;

/** Looks users up for login. */
final class UserDirectory {

  /** A user's row as login needs it. */
  record StoredUser(SessionUser user, String passwordHash, boolean disabled) {}

  private static final String BY_USERNAME =
      "SELECT id, username, role, password_hash, disabled_at IS NOT NULL AS disabled FROM users WHERE username = $1";

  private final Pool pool;

  UserDirectory(Pool pool) {
    this.pool = pool;
  }

  Future<Optional<StoredUser>> byUsername(String username) {
    return pool.preparedQuery(BY_USERNAME).execute(Tuple.of(username)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row row = rows.iterator().next();
      return Optional.of(new StoredUser(
          new SessionUser(row.getUUID("id"), row.getString("username"), row.getString("role")),
          row.getString("password_hash"), row.getBoolean("disabled")));
    });
  }
}
