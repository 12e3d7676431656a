package com.portfoliostream.events.protocol;

/**
 * Every way the server closes a portfolio socket: the RFC 6455 code, the exact reason text the
 * client sees, and what a client should do next. Reasons stay under the 123-byte limit of a close
 * frame.
 */
public enum CloseReason {
  NORMAL(1000, "Normal closure", Reconnect.NO),
  SERVER_SHUTDOWN(1001, "Server shutting down", Reconnect.AT_ONCE),
  HEARTBEAT_TIMEOUT(1001, "Heartbeat timeout", Reconnect.AT_ONCE),
  /**
   * A frame that breaks RFC 6455 (reserved bits or opcodes, an unmasked or fragmented control
   * frame, a close code no endpoint may send): the client is broken, not the network.
   */
  PROTOCOL_ERROR(1002, "Protocol error", Reconnect.NO),
  /** A text message that is not valid UTF-8 (RFC 6455 section 8.1): the client is broken, not the network. */
  INVALID_PAYLOAD(1007, "Invalid UTF-8 in text message", Reconnect.NO),
  AUTHENTICATION_REQUIRED(1008, "Authentication required", Reconnect.NO),
  MAX_CONNECTIONS_PER_USER(1008, "Maximum connections exceeded (%d per user)", Reconnect.NO),
  RATE_LIMIT_EXCEEDED(1008, "Rate limit exceeded", Reconnect.NO),
  MESSAGE_TOO_BIG(1009, "Message too big", Reconnect.AT_ONCE),
  /**
   * This node stalled past its socket lease (a long pause, a stopped process) and was presumed
   * gone: its users were admitted elsewhere, so it drops its sockets and they reconnect.
   */
  NODE_REJOINING(1012, "Node rejoining the cluster - reconnect", Reconnect.AT_ONCE),
  INTERNAL_ERROR(1011, "Internal server error", Reconnect.WITH_DELAY),
  SERVER_CAPACITY(1013, "Server capacity reached - please try again later", Reconnect.WITH_DELAY),
  SLOW_CONSUMER(1013, "Client too slow - please reconnect", Reconnect.WITH_DELAY),
  /**
   * The user is at MAX_CONNECTIONS_PER_USER only with sockets held by a node that stopped renewing
   * its lease (frozen or cut off): within seconds they stop counting, so try again shortly.
   */
  SOCKETS_ON_SILENT_NODE(1013, "Sockets held by an unreachable node - try again shortly", Reconnect.WITH_DELAY),
  /**
   * A new socket could not be counted against the per-user limit because the database is stopped
   * or unreachable; sockets already open stay open and are told DATA_STALE.
   */
  DATABASE_UNAVAILABLE(1013, "Database unavailable - try again shortly", Reconnect.WITH_DELAY),
  /**
   * Operators took this user out of the real-time rollout (or turned it off for everyone): the
   * client polls REST instead, and asks {@code /api/health} now and then whether it is back. An
   * application code (4000-4999) because no RFC 6455 code means "use the fallback".
   */
  REALTIME_OFF(4503, "Real-time updates are off for this account - use REST polling", Reconnect.POLL);

  /** What a well-behaved client does after this close. */
  public enum Reconnect {
    /** Do not reconnect: the user must act (sign in again, close other tabs, fix the client). */
    NO,
    /** Reconnect at once; another node will take the socket. */
    AT_ONCE,
    /** Reconnect after a backoff delay. */
    WITH_DELAY,
    /** Poll REST; reconnect only once {@code /api/health} says realtimePortfolio is true again. */
    POLL
  }

  private final int code;
  private final String reason;
  private final Reconnect reconnect;

  CloseReason(int code, String reason, Reconnect reconnect) {
    this.code = code;
    this.reason = reason;
    this.reconnect = reconnect;
  }

  public int code() {
    return code;
  }

  /** The reason text; for {@link #MAX_CONNECTIONS_PER_USER} pass the configured limit. */
  public String reason(Object... args) {
    return args.length == 0 ? reason : String.format(reason, args);
  }

  public Reconnect reconnect() {
    return reconnect;
  }
}
