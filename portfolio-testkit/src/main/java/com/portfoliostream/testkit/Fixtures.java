package com.portfoliostream.testkit;

import com.portfoliostream.common.bus.UserEventBus;
import com.portfoliostream.events.model.Account;
import com.portfoliostream.events.model.Order;
import com.portfoliostream.events.model.OrderSide;
import com.portfoliostream.events.model.OrderStatus;
import com.portfoliostream.events.model.OrderType;
import com.portfoliostream.events.model.Position;
import com.portfoliostream.events.model.PositionSide;
import com.portfoliostream.events.model.TimeInForce;
import com.portfoliostream.events.model.Trade;
import com.portfoliostream.events.protocol.ServerEvent;
import com.portfoliostream.events.protocol.ServerEvents;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** Test data: user ids, and events as the ingest and order roles will publish them. */
public final class Fixtures {

  private Fixtures() {}

  public static UUID userId(Pool pool, String username) throws Exception {
    return EdgeCluster.await(pool.preparedQuery("SELECT id FROM users WHERE username = $1")
        .execute(Tuple.of(username))).iterator().next().getUUID("id");
  }

  public static ServerEvent position(UUID userId, String symbol, String price, long version) {
    return ServerEvents.positionUpdate(userId.toString(), new Position(symbol, new BigDecimal("10"),
        new BigDecimal(price), new BigDecimal("100.00"), null, null, null, PositionSide.LONG, null,
        Instant.now(), Instant.now(), version), Instant.now());
  }

  public static ServerEvent order(UUID userId, String symbol, OrderStatus status) {
    return ServerEvents.orderUpdate(userId.toString(), new Order(UUID.randomUUID().toString(), null, symbol,
        OrderSide.BUY, OrderType.MARKET, TimeInForce.DAY, status, BigDecimal.ONE, BigDecimal.ZERO,
        null, null, null, Instant.now(), null, null, null, null, Instant.now(), 1L), Instant.now());
  }

  public static ServerEvent trade(UUID userId, String symbol) {
    return trade(userId, symbol, null);
  }

  public static ServerEvent trade(UUID userId, String symbol, String strategyId) {
    return ServerEvents.tradeExecuted(userId.toString(), new Trade(UUID.randomUUID().toString(),
        UUID.randomUUID().toString(), symbol, OrderSide.BUY, BigDecimal.ONE, new BigDecimal("101.00"),
        null, Instant.now(), strategyId), Instant.now());
  }

  public static ServerEvent account(UUID userId, String equity) {
    return ServerEvents.accountUpdate(userId.toString(), new Account(new BigDecimal(equity),
        new BigDecimal("1000.00"), new BigDecimal("500.00"), new BigDecimal(equity), BigDecimal.ZERO,
        BigDecimal.ZERO, new BigDecimal(equity), Instant.now(), 99L), Instant.now());
  }

  public static void publish(Vertx vertx, ServerEvent event) {
    UserEventBus.publish(vertx, event, UserEventBus.Meta.of(Instant.now()));
  }
}
