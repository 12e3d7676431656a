package com.portfoliostream.common.control;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/** Reads the rollout ({@code realtime_rollout} and its lists) in one statement. */
public final class RolloutStore {

  static final String READ = "SELECT r.enabled, r.percentage, v.version, "
      + "coalesce(array_agg(u.user_id) FILTER (WHERE u.list = 'allow'), '{}') AS allow, "
      + "coalesce(array_agg(u.user_id) FILTER (WHERE u.list = 'deny'), '{}') AS deny "
      + "FROM realtime_rollout r CROSS JOIN control_versions v LEFT JOIN realtime_rollout_users u ON true "
      + "WHERE r.id = 1 AND v.kind = 'rollout' GROUP BY r.enabled, r.percentage, v.version";

  private RolloutStore() {}

  public static Future<RolloutPolicy> read(SqlClient client) {
    return client.query(READ).execute().map(rows -> {
      if (rows.size() == 0) {
        return RolloutPolicy.EVERYONE;
      }
      Row row = rows.iterator().next();
      return new RolloutPolicy(row.getBoolean("enabled"), row.getInteger("percentage"),
          ids(row.getArrayOfUUIDs("allow")), ids(row.getArrayOfUUIDs("deny")), row.getLong("version"));
    });
  }

  private static Set<UUID> ids(UUID[] array) {
    return array == null ? Set.of() : new HashSet<>(java.util.Arrays.asList(array));
  }
}
