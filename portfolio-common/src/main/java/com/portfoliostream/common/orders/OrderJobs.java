package com.portfoliostream.common.orders;

import com.portfoliostream.common.config.NodeConfig;
import com.portfoliostream.common.config.Setting;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/**
 * The durable order work queue's table, {@code order_jobs}, as the edge (which queues jobs) and the
 * {@code orders} role (whose workers claim them) both use it. Kinds and statuses are named once, in
 * {@link OrderJobKind} and {@link OrderJobStatus}.
 */
public final class OrderJobs {

  /** Jobs waiting or running across the cluster: the queue's depth. $1 queued, $2 running. */
  private static final String DEPTH = "SELECT count(*) FROM order_jobs WHERE status IN ($1, $2)";

  private OrderJobs() {}

  /** How many jobs wait or run across the cluster, read through {@code client} (a pool or a transaction's connection). */
  public static Future<Long> depth(SqlClient client) {
    return client.preparedQuery(DEPTH).execute(Tuple.of(OrderJobStatus.QUEUED.sql(), OrderJobStatus.RUNNING.sql()))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /** What one user may place: orders in any minute, and open orders at once. */
  public record UserQuota(int perMinute, int open) {
    public static UserQuota of(NodeConfig config) {
      return new UserQuota(config.settings().integer(Setting.ORDER_RATE_PER_MINUTE),
          config.settings().integer(Setting.MAX_OPEN_ORDERS_PER_USER));
    }
  }

  /** The most jobs waiting or running before new orders are refused (ORDER_QUEUE_LIMIT). */
  public static int queueLimit(NodeConfig config) {
    return config.settings().integer(Setting.ORDER_QUEUE_LIMIT);
  }
}
