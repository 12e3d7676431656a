package com.portfoliostream.broker.alpaca;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** What the Alpaca trading stream ({@code /stream}) sends. */
public sealed interface TradingStreamMessage {

  /** The answer to {@code authenticate} or to a {@code listen} sent too early. */
  record Authorization(String status, String action) implements TradingStreamMessage {
    public boolean authorized() {
      return "authorized".equals(status);
    }
  }

  /** The streams now listened to. */
  record Listening(List<String> streams) implements TradingStreamMessage {}

  /**
   * One order event: new, fill, partial_fill, canceled, expired, rejected, replaced, ...
   * {@code price}, {@code qty} and {@code executionId} describe the execution of fill events.
   */
  record TradeUpdate(String event, String executionId, AlpacaOrder order, BigDecimal price, BigDecimal qty,
      BigDecimal positionQty, Instant timestamp) implements TradingStreamMessage {

    public boolean isExecution() {
      return "fill".equals(event) || "partial_fill".equals(event);
    }

    /** The broker refused a cancel or a replace: the order is working again, in the status it carries. */
    public boolean isRefusal() {
      return "order_cancel_rejected".equals(event) || "order_replace_rejected".equals(event);
    }
  }
}
