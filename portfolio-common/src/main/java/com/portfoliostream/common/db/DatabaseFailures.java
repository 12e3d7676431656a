package com.portfoliostream.common.db;

import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;
import java.net.ConnectException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Which failures of a statement mean "the database cannot be used just now" (stopped, restarting,
 * unreachable, out of connections) rather than a fault of the statement or of our code: those are
 * answered 503 with {@code Retry-After}, logged without a stack trace, and retried by whoever owns
 * the work. Nothing the statement wrote is left behind: each write runs in one transaction.
 */
public final class DatabaseFailures {

  /** SQLSTATEs of an unavailable server: shutting down or starting up, out of connections. */
  private static final Set<String> UNAVAILABLE_STATES = Set.of(
      "57P01", // admin_shutdown: PostgreSQL is being stopped
      "57P02", // crash_shutdown
      "57P03", // cannot_connect_now: starting up or shutting down
      "53300", // too_many_connections
      "53000"); // insufficient_resources

  private DatabaseFailures() {}

  /** True when {@code failure}, or one of its causes, says the database is unavailable now. */
  public static boolean isUnavailable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ClosedConnectionException || t instanceof ConnectException
          || t instanceof ConnectionPoolTooBusyException || t instanceof TimeoutException
          || t instanceof DatabaseException db && unavailableState(db.getSqlState())
          || t instanceof io.vertx.core.VertxException && unavailableMessage(t.getMessage())) {
        return true;
      }
    }
    return false;
  }

  /** One line for a log: the failure's class and message, never a stack trace. */
  public static String summary(Throwable failure) {
    return failure.getClass().getSimpleName() + ": " + failure.getMessage();
  }

  private static boolean unavailableState(String state) {
    return state != null && (state.startsWith("08") || UNAVAILABLE_STATES.contains(state));
  }

  /** Closed connections, and the pool's "Timeout waiting for connection" when every one is busy. */
  private static boolean unavailableMessage(String message) {
    return message != null && (message.equals("Connection closed") || message.equals("Connection was closed")
        || message.startsWith("Failed to read any response from the server")
        || message.startsWith("Timeout waiting for connection"));
  }
}
