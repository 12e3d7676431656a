package com.portfoliostream.node;

import io.vertx.core.Handler;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the node does with an exception no handler caught on an event loop: an ERROR with its
 * stack, as Vert.x itself would log it, except for one known race of vertx-sql-client 5.0
 * (eclipse-vertx/vertx-sql-client#1567, eclipse-vertx/vert.x#6169): when a pool's connection
 * timeout fires just as the waiting statement was given a connection, the pool tries to fail the
 * statement's promise a second time and throws "Promise already completed". The statement ran
 * normally; only the throw is left, so it is a WARN line without a stack, not an ERROR.
 */
final class UncaughtFailures implements Handler<Throwable> {

  private static final Logger LOG = LoggerFactory.getLogger(UncaughtFailures.class);

  @Override
  public void handle(Throwable failure) {
    if (isPoolTimeoutRace(failure)) {
      LOG.warn("A database pool's wait timed out as its statement got a connection (vertx-sql-client#1567); "
          + "the statement ran, nothing is lost");
      return;
    }
    LOG.error("Unhandled exception", failure);
  }

  static boolean isPoolTimeoutRace(Throwable failure) {
    return failure instanceof IllegalStateException && "Promise already completed".equals(failure.getMessage())
        && Arrays.stream(failure.getStackTrace()).limit(4)
            .anyMatch(frame -> frame.getClassName().startsWith("io.vertx.sqlclient.impl.pool.SqlConnectionPool"));
  }
}
