package com.portfoliostream.events.model;

import com.portfoliostream.events.protocol.EventPayload;
import java.util.List;

/**
 * Several entities at once: the data of a {@code batch} (what changed in one window) and of a
 * {@code snapshot} (the full state of the subscribed channels). A channel that is not part of the
 * frame is null and left out of the JSON; an empty list means "nothing" for that channel.
 */
public record PortfolioFrame(
    List<Position> positions, List<Order> orders, Account account, List<Trade> trades)
    implements EventPayload {

  public PortfolioFrame {
    positions = positions == null ? null : List.copyOf(positions);
    orders = orders == null ? null : List.copyOf(orders);
    trades = trades == null ? null : List.copyOf(trades);
  }

  /** How many entity states the frame carries (the account counts as one). */
  public int entityCount() {
    return size(positions) + size(orders) + size(trades) + (account == null ? 0 : 1);
  }

  private static int size(List<?> list) {
    return list == null ? 0 : list.size();
  }
}
