package com.portfoliostream.simulator.market;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One execution, as the {@code FILL} account activity reports it. The activity id is Alpaca's
 * {@code <New York time yyyyMMddHHmmssSSS>::<uuid>}; here the uuid is the execution id of the
 * matching {@code trade_updates} event, so a backfill can be matched with what the stream sent.
 */
public record Fill(String activityId, String executionId, String orderId, String symbol, String side,
    BigDecimal qty, BigDecimal price, BigDecimal cumQty, BigDecimal leavesQty, OrderStatus orderStatus,
    Instant transactionTime) {

  public boolean isPartial() {
    return leavesQty.signum() > 0;
  }
}
