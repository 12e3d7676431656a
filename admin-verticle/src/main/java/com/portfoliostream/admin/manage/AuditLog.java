package com.portfoliostream.admin.manage;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/**
 * The audit log of administrative calls: who, what, on whom, when, from where, how it ended.
 * Details are names and settings (a role, an environment, an API key id, a percentage), never a
 * password or a secret: callers pass only those.
 */
public final class AuditLog {

  public static final int MAX_PAGE = 500;
  private static final String INSERT = "INSERT INTO admin_audit (actor, address, action, target, outcome, details) "
      + "VALUES ($1, $2, $3, $4, $5, $6)";
  private static final String PAGE = "SELECT id, at, actor, address, action, target, outcome, details FROM admin_audit "
      + "WHERE ($1::bigint IS NULL OR id < $1) ORDER BY id DESC LIMIT $2";

  private AuditLog() {}

  /** Writes one entry through {@code client} (the change's own transaction for a change that succeeded). */
  public static Future<Void> record(SqlClient client, Actor actor, String action, String target, String outcome,
      JsonObject details) {
    return client.preparedQuery(INSERT)
        .execute(Tuple.of(actor.name(), actor.address(), action, target, outcome, details))
        .mapEmpty();
  }

  /** Newest first, at most {@code limit}, older than entry {@code before} when given. */
  public static Future<JsonArray> page(SqlClient client, int limit, Long before) {
    return client.preparedQuery(PAGE).execute(Tuple.of(before, Math.max(1, Math.min(limit, MAX_PAGE))))
        .map(rows -> {
          JsonArray entries = new JsonArray();
          for (Row row : rows) {
            entries.add(new JsonObject().put("id", row.getLong("id")).put("at", row.getOffsetDateTime("at").toInstant().toString())
                .put("actor", row.getString("actor")).put("address", row.getString("address"))
                .put("action", row.getString("action")).put("target", row.getString("target"))
                .put("outcome", row.getString("outcome")).put("details", row.getJsonObject("details")));
          }
          return entries;
        });
  }
}
