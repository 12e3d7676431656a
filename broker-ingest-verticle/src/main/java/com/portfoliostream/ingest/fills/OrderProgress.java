package com.portfoliostream.ingest.fills;

import com.portfoliostream.events.model.OrderStatus;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * Whether, and how, a broker report (a streamed or backfilled event, or the broker's copy of the
 * order at reconciliation) moves our order forward. Reports may arrive late or twice (a replay
 * after a reconnect, a backfill racing the stream, our own {@code pending_cancel} ahead of the
 * broker's news), so an order's status only moves forward through these stages:
 *
 * <ol start="0">
 *   <li>{@code pending_new} (ours: not at the broker yet)</li>
 *   <li>{@code accepted}, {@code accepted_for_bidding}</li>
 *   <li>{@code new}</li>
 *   <li>{@code partially_filled}, {@code stopped}, {@code suspended}, {@code calculated},
 *       {@code done_for_day} (working at the exchange; these may follow each other either way)</li>
 *   <li>{@code pending_cancel}, {@code pending_replace}</li>
 *   <li>the final ones: {@code filled}, {@code canceled}, {@code expired}, {@code replaced},
 *       {@code rejected}, {@code failed}</li>
 * </ol>
 *
 * A report of an earlier stage changes nothing, except that its new fills are kept (the status
 * stays). Filled quantity never goes back. A final order changes only with new fills. Two cases
 * step back: the broker refusing a cancel or a replace ({@code order_cancel_rejected},
 * {@code order_replace_rejected}) puts a {@code pending_cancel} or {@code pending_replace} order
 * back to the status the broker reports ({@code new}, {@code partially_filled}); and our own
 * {@code failed} (the order queue gave up) yields to anything the broker says, the broker being
 * the truth about its orders. The order queue's refused cancel ({@code CANCEL_REFUSED}) is the
 * same first case, written there.
 */
public final class OrderProgress {

  /** An order's status and fills, as we hold them or as the broker reports them. */
  public record OrderState(OrderStatus status, BigDecimal filledQty, BigDecimal filledAvgPrice) {

    boolean sameAs(OrderState other) {
      return status == other.status && filledQty.compareTo(other.filledQty) == 0
          && (filledAvgPrice == null ? other.filledAvgPrice == null
              : other.filledAvgPrice != null && filledAvgPrice.compareTo(other.filledAvgPrice) == 0);
    }
  }

  private OrderProgress() {}

  /**
   * The order's state after {@code reported}, or empty when the report changes nothing (stale, or
   * what we hold already). {@code refusal}: the report is the broker refusing a cancel or replace.
   */
  public static Optional<OrderState> next(OrderState current, OrderState reported, boolean refusal) {
    Optional<OrderStatus> status = status(current.status(), current.filledQty(), reported.status(),
        reported.filledQty(), refusal);
    if (status.isEmpty()) {
      return Optional.empty();
    }
    BigDecimal average = reported.filledAvgPrice() != null ? reported.filledAvgPrice() : current.filledAvgPrice();
    OrderState next = new OrderState(status.get(), reported.filledQty(), average);
    return next.sameAs(current) ? Optional.empty() : Optional.of(next);
  }

  static Optional<OrderStatus> status(OrderStatus current, BigDecimal currentFilled, OrderStatus reported,
      BigDecimal reportedFilled, boolean refusal) {
    if (current == OrderStatus.FAILED) {
      return Optional.of(reported);
    }
    int fills = reportedFilled.compareTo(currentFilled);
    if (fills < 0 || current.isTerminal() && fills == 0 && reported != current) {
      return Optional.empty();
    }
    if (stage(reported) >= stage(current)) {
      return Optional.of(reported);
    }
    if (refusal && (current == OrderStatus.PENDING_CANCEL || current == OrderStatus.PENDING_REPLACE)) {
      return Optional.of(reported);
    }
    return fills > 0 ? Optional.of(current) : Optional.empty();
  }

  private static int stage(OrderStatus status) {
    return switch (status) {
      case PENDING_NEW -> 0;
      case ACCEPTED, ACCEPTED_FOR_BIDDING -> 1;
      case NEW -> 2;
      case PARTIALLY_FILLED, STOPPED, SUSPENDED, CALCULATED, DONE_FOR_DAY -> 3;
      case PENDING_CANCEL, PENDING_REPLACE -> 4;
      case FILLED, CANCELED, EXPIRED, REPLACED, REJECTED, FAILED -> 5;
    };
  }
}
