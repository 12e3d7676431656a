package com.portfoliostream.events.protocol;

/** Codes of {@code error} events. The socket stays open after each of them unless a close follows. */
public enum ErrorCode {
  /** The message is not JSON, not an object, has no or an unknown type, or a malformed field. */
  INVALID_MESSAGE,
  /** A well-formed subscribe or unsubscribe names a channel or symbol we do not serve. */
  SUBSCRIPTION_FAILED,
  /** More client messages than the per-second budget; persisting closes the socket (1008). */
  RATE_LIMITED,
  /** Something failed on our side; the client may retry. */
  INTERNAL_ERROR
}
