package com.portfoliostream.orders;

import com.portfoliostream.common.portfolio.PortfolioRows;
import com.portfoliostream.events.model.Order;
import io.vertx.sqlclient.Row;
import java.util.UUID;

/** The order a job is about, with the account it trades in and the client order id the broker knows it by. */
record JobOrder(Order order, UUID accountId, UUID userId, String clientOrderId) {

  static JobOrder of(Row row) {
    return new JobOrder(PortfolioRows.order(row), row.getUUID("account_id"), row.getUUID("user_id"),
        row.getString("client_order_id"));
  }

  UUID id() {
    return UUID.fromString(order.orderId());
  }
}
