package com.portfoliostream.events.protocol;

/** Codes of {@code error} events. The socket stays open after each of them unless a close follows. */
public enum ErrorCode {
  /** The message is not JSON, not an object, has no or an unknown type, or a malformed field. */
  INVALID_MESSAGE,
  /** A well-formed subscribe or unsubscribe names a channel or symbol we do not serve. */
  SUBSCRIPTION_FAILED,
  /** More client messages than the per-second budget; persisting closes the socket (1008). */
  RATE_LIMITED,
  /**
   * The snapshot of a subscribe was not loaded within its deadline (SNAPSHOT_DEADLINE_MS, e.g.
   * while a node takes over many reconnecting users): the server retries, and says so; live
   * updates keep flowing meanwhile.
   */
  SNAPSHOT_TIMEOUT,
  /** Something failed on our side; the client may retry. */
  INTERNAL_ERROR
}
