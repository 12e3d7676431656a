package com.portfoliostream.ingest.fills;

import com.portfoliostream.events.model.Order;
import com.portfoliostream.events.model.Position;
import com.portfoliostream.events.model.Trade;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * What applying one broker order event changed: the order (empty when the event was stale), the
 * trade and position of an execution (empty when the execution was already applied), and the
 * broker's view of the position size after it, to check ours against.
 */
public record LedgerEntry(
    UUID userId,
    Optional<Order> order,
    Optional<Trade> trade,
    Optional<Position> position,
    boolean duplicateExecution,
    BigDecimal brokerPositionQty,
    Instant brokerTime) {

  public boolean changedAnything() {
    return order.isPresent() || trade.isPresent() || position.isPresent();
  }
}
