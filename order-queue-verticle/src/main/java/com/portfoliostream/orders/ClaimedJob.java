package com.portfoliostream.orders;

import com.portfoliostream.common.orders.OrderJobKind;
import java.util.UUID;

/** A job this worker holds the lease of; {@code attempts} counts this one. */
public record ClaimedJob(long id, UUID orderId, OrderJobKind kind, int attempts) {

  /** An attempt before this one may have reached the broker. */
  public boolean triedBefore() {
    return attempts > 1;
  }
}
