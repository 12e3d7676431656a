package com.portfoliostream.common.db;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/** The one way a node makes its PostgreSQL pool, so every verticle shares the same settings. */
public final class PgPools {

  /** Waiters beyond this get an error at once instead of queueing without bound. */
  public static final int MAX_WAIT_QUEUE = 1_000;

  private PgPools() {}

  public static Pool create(Vertx vertx, DatabaseUrl url, int size) {
    PoolOptions options = new PoolOptions()
        .setMaxSize(size)
        .setMaxWaitQueueSize(MAX_WAIT_QUEUE)
        .setShared(true)
        .setName("portfolio-pool")
        .setConnectionTimeout(10)
        .setIdleTimeout(5)
        .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.MINUTES);
    NetClientOptions net = new NetClientOptions().setConnectTimeout(5_000).setTcpKeepAlive(true);
    return PgBuilder.pool().with(options).with(net).connectingTo(url.connectOptions()).using(vertx).build();
  }
}
