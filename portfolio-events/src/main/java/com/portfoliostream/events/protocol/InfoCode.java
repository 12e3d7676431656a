package com.portfoliostream.events.protocol;

/** Codes of {@code info} events. */
public enum InfoCode {
  /** A subscribe was applied; the info lists the socket's channels and symbols now. */
  SUBSCRIBED,
  /** An unsubscribe was applied; the info lists what the socket is still subscribed to. */
  UNSUBSCRIBED,
  /**
   * No market data arrived for a while during market hours: prices may be old. Or, with details
   * {@code source: "database"}, the node lost its database: nothing new can be read until
   * {@link #DATA_RESUMED}.
   */
  DATA_STALE,
  /**
   * Market data flows again after {@link #DATA_STALE}; with {@code source: "database"}, the
   * database is back and a fresh snapshot of the socket's channels follows.
   */
  DATA_RESUMED,
  /**
   * The broker refused to cancel one of the user's orders (it filled or ended meanwhile); the
   * details name the order ({@code orderId}, {@code symbol}) and the broker's {@code reason}.
   */
  CANCEL_REJECTED
}
