package com.portfoliostream.broker.alpaca;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One {@code FILL} account activity ({@code GET /v2/account/activities/FILL}): how fills missed
 * while no trading stream was connected are found again. Alpaca's activity id is
 * {@code <time>::<execution id>}; the execution id is what makes a fill count once whichever way it
 * arrives.
 */
public record FillActivity(
    String id,
    String orderId,
    String symbol,
    String side,
    String type,
    BigDecimal qty,
    BigDecimal price,
    BigDecimal cumQty,
    BigDecimal leavesQty,
    String orderStatus,
    Instant transactionTime) {

  public String executionId() {
    int separator = id.indexOf("::");
    return separator < 0 ? id : id.substring(separator + 2);
  }
}
