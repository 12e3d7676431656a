package com.portfoliostream.stream.ws;

/**
 * Client messages per socket in fixed one-second windows. Over the limit, messages are dropped
 * and the client is told once per window; a client still over the limit after
 * {@link #STRIKES_TO_CLOSE} windows in a row, or at five times the limit in one window, is closed.
 */
final class RateLimiter {

  static final int STRIKES_TO_CLOSE = 3;
  private static final long WINDOW_MS = 1_000;

  /** What to do with one message. */
  enum Decision { ACCEPT, DROP_AND_WARN, DROP, CLOSE }

  private final int limit;
  private long windowStart;
  private int count;
  private int strikes;
  private boolean overInThisWindow;

  RateLimiter(int limit) {
    this.limit = limit;
  }

  Decision onMessage(long nowMs) {
    if (nowMs - windowStart >= WINDOW_MS) {
      boolean consecutive = overInThisWindow && nowMs - windowStart < 2 * WINDOW_MS;
      strikes = consecutive ? strikes : 0;
      windowStart = nowMs;
      count = 0;
      overInThisWindow = false;
    }
    count++;
    if (count <= limit) {
      return Decision.ACCEPT;
    }
    if (!overInThisWindow) {
      overInThisWindow = true;
      strikes++;
      return strikes >= STRIKES_TO_CLOSE ? Decision.CLOSE : Decision.DROP_AND_WARN;
    }
    return count > 5L * limit ? Decision.CLOSE : Decision.DROP;
  }

  int limit() {
    return limit;
  }
}
