package com.portfoliostream.node;

import io.vertx.core.Handler;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the node does with an exception no handler caught on an event loop: an ERROR with its
 * stack, as Vert.x itself would log it, except for two known races of Vert.x 5.0 that throw
 * "Promise already completed" from inside Vert.x, with nothing of ours on the stack:
 * <ul>
 *   <li>vertx-sql-client 5.0 (eclipse-vertx/vertx-sql-client#1567, eclipse-vertx/vert.x#6169):
 *       when a pool's connection timeout fires just as the waiting statement was given a
 *       connection, the pool fails the statement's promise a second time. The statement ran.
 *   <li>Vert.x core 5.0: when a connection closes (a peer killed, a cut network) with writes still
 *       queued, {@code VertxConnection} fails each queued write's promise on release, and one
 *       already completed throws. The connection was going anyway; the writes were to a peer that
 *       is gone. Seen in EdgeFailoverTest on an edge's TLS connection as the frozen edge was cut.
 * </ul>
 * Each is a WARN line without a stack, not an ERROR.
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
    if (isClosingConnectionRace(failure)) {
      LOG.warn("A closing connection failed a queued write twice (a Vert.x 5.0 race); the peer was gone, "
          + "nothing else is affected");
      return;
    }
    LOG.error("Unhandled exception", failure);
  }

  static boolean isClosingConnectionRace(Throwable failure) {
    if (!(failure instanceof IllegalStateException) || !"Promise already completed".equals(failure.getMessage())) {
      return false;
    }
    StackTraceElement[] stack = failure.getStackTrace();
    boolean releasing = Arrays.stream(stack).anyMatch(frame ->
        frame.getClassName().startsWith("io.vertx.core.internal.concurrent.OutboundMessageQueue")
            && frame.getMethodName().equals("releaseMessages"));
    boolean ours = Arrays.stream(stack).anyMatch(frame -> frame.getClassName().startsWith("com.portfoliostream."));
    return releasing && !ours;
  }

  static boolean isPoolTimeoutRace(Throwable failure) {
    return failure instanceof IllegalStateException && "Promise already completed".equals(failure.getMessage())
        && Arrays.stream(failure.getStackTrace()).limit(4)
            .anyMatch(frame -> frame.getClassName().startsWith("io.vertx.sqlclient.impl.pool.SqlConnectionPool"));
  }
}
