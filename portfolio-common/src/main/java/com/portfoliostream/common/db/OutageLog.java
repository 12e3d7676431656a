package com.portfoliostream.common.db;

import org.slf4j.Logger;

/**
 * The log of one repeated piece of work (a lease renewal, a queue poll) that fails while the
 * database is away: the first such failure is a WARN saying so, the next ones DEBUG, and the first
 * success after them an INFO; any other failure is a WARN each time. A 30 s outage then costs a
 * component two lines, not thirty. Confined to the caller's event loop.
 */
public final class OutageLog {

  private final Logger log;
  private final String work;
  private boolean away;

  /** {@code work} names what fails, as in "Socket lease renewal of node 1f2e…". */
  public OutageLog(Logger log, String work) {
    this.log = log;
    this.work = work;
  }

  public void failed(Throwable cause) {
    if (!DatabaseFailures.isUnavailable(cause)) {
      log.warn("{} failed: {}", work, cause.getMessage());
    } else if (away) {
      log.debug("{} failed, the database is still away: {}", work, DatabaseFailures.summary(cause));
    } else {
      away = true;
      log.warn("{} failed, the database is unavailable ({}); retried quietly until it answers", work,
          DatabaseFailures.summary(cause));
    }
  }

  public void succeeded() {
    if (away) {
      away = false;
      log.info("{} works again", work);
    }
  }
}
