package com.portfoliostream.stream.batch;

import com.portfoliostream.events.model.Account;
import com.portfoliostream.events.model.Order;
import com.portfoliostream.events.model.OrderSide;
import com.portfoliostream.events.model.OrderStatus;
import com.portfoliostream.events.model.OrderType;
import com.portfoliostream.events.model.PortfolioFrame;
import com.portfoliostream.events.model.Position;
import com.portfoliostream.events.model.PositionSide;
import com.portfoliostream.events.model.TimeInForce;
import com.portfoliostream.events.model.Trade;
import com.portfoliostream.events.protocol.ServerEvent;
import com.portfoliostream.events.protocol.ServerEvents;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** Entity events with the fields the batching units look at (key, version) under test control. */
final class Entities {

  static final String USER = "5b0c2f6e-1d1e-4c55-9a43-0d5f3f0f9e10";
  static final Instant T0 = Instant.parse("2026-11-22T15:00:00Z");

  private Entities() {}

  static Position positionState(String symbol, String qty, Long version) {
    return new Position(symbol, new BigDecimal(qty), new BigDecimal("100.00"), new BigDecimal("90.00"), null, null,
        null, PositionSide.LONG, null, T0, T0, version);
  }

  static ServerEvent position(String symbol, String qty, Long version) {
    return ServerEvents.positionUpdate(USER, positionState(symbol, qty, version), T0);
  }

  static Order orderState(String orderId, OrderStatus status, Long version) {
    return new Order(orderId, null, "AAPL", OrderSide.BUY, OrderType.MARKET, TimeInForce.DAY, status,
        BigDecimal.ONE, BigDecimal.ZERO, null, null, null, T0, null, null, null, null, T0, version);
  }

  static ServerEvent order(String orderId, OrderStatus status, Long version) {
    return ServerEvents.orderUpdate(USER, orderState(orderId, status, version), T0);
  }

  static Account accountState(String equity, Long version) {
    BigDecimal value = new BigDecimal(equity);
    return new Account(value, value, value, value, BigDecimal.ZERO, BigDecimal.ZERO, value, T0, version);
  }

  static ServerEvent account(String equity, Long version) {
    return ServerEvents.accountUpdate(USER, accountState(equity, version), T0);
  }

  static Trade tradeState(String tradeId) {
    return new Trade(tradeId, "order-1", "AAPL", OrderSide.BUY, BigDecimal.ONE, new BigDecimal("101.00"), null,
        T0, null);
  }

  static ServerEvent trade(String tradeId) {
    return ServerEvents.tradeExecuted(USER, tradeState(tradeId), T0);
  }

  static ServerEvent batch(List<Position> positions, List<Order> orders, Account account, List<Trade> trades) {
    return ServerEvents.batch(USER, new PortfolioFrame(positions, orders, account, trades), T0);
  }
}
