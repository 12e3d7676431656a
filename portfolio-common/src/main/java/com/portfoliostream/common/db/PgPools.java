package com.portfoliostream.common.db;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/** The one way a node makes its PostgreSQL pool, so every verticle shares the same settings. */
public final class PgPools {

  /** Waiters beyond this get an error at once instead of queueing without bound. */
  public static final int MAX_WAIT_QUEUE = 1_000;

  /**
   * A session left idle inside a transaction this long is ended by PostgreSQL: a frozen node
   * must not hold the locks of a half-done transaction (a user's admission lock, a lease row)
   * and stall every other node behind it. Far longer than any transaction of ours waits between
   * its statements.
   */
  public static final int IDLE_IN_TRANSACTION_TIMEOUT_MS = 5_000;

  /** The application_name of a pool made without a session name of its own. */
  public static final String DEFAULT_SESSION_NAME = "portfolio-node";

  private PgPools() {}

  public static Pool create(Vertx vertx, DatabaseUrl url, int size) {
    return create(vertx, url, size, DEFAULT_SESSION_NAME);
  }

  /**
   * A pool whose sessions carry {@code sessionName} as their application_name: a node names its
   * pool after its cluster node id, so that its sessions in {@code pg_stat_activity} show whether
   * it still lives (its socket slots count only while they do).
   */
  public static Pool create(Vertx vertx, DatabaseUrl url, int size, String sessionName) {
    PoolOptions options = new PoolOptions()
        .setMaxSize(size)
        .setMaxWaitQueueSize(MAX_WAIT_QUEUE)
        .setShared(true)
        .setName("portfolio-pool-" + sessionName)
        .setConnectionTimeout(10)
        .setIdleTimeout(5)
        .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.MINUTES);
    NetClientOptions net = new NetClientOptions().setConnectTimeout(5_000).setTcpKeepAlive(true);
    PgConnectOptions connect = url.connectOptions()
        .addProperty("application_name", sessionName)
        .addProperty("idle_in_transaction_session_timeout", Integer.toString(IDLE_IN_TRANSACTION_TIMEOUT_MS));
    return PgBuilder.pool().with(options).with(net).connectingTo(connect).using(vertx).build();
  }
}
