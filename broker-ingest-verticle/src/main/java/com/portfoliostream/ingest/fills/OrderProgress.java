package com.portfoliostream.ingest.fills;

import com.portfoliostream.events.model.OrderStatus;
import java.math.BigDecimal;

/**
 * Whether a broker order event moves our order forward. Events may arrive late or twice (a replay
 * after a reconnect, a backfill racing the stream): an event that would take back fills, or reopen
 * an order the broker already finished, is stale and changes nothing. Our own {@code failed} (the
 * order queue gave up) yields to anything the broker says: the broker is the truth about its orders.
 */
public final class OrderProgress {

  private OrderProgress() {}

  public static boolean advances(OrderStatus current, BigDecimal currentFilled, OrderStatus next, BigDecimal nextFilled) {
    if (current == OrderStatus.FAILED) {
      return true;
    }
    int fills = nextFilled.compareTo(currentFilled);
    if (fills < 0) {
      return false;
    }
    if (current.isTerminal()) {
      return fills > 0;
    }
    return true;
  }
}
