package com.portfoliostream.events.protocol;

import com.fasterxml.jackson.annotation.JsonValue;
import com.portfoliostream.events.model.Account;
import com.portfoliostream.events.model.Channel;
import com.portfoliostream.events.model.Order;
import com.portfoliostream.events.model.PortfolioFrame;
import com.portfoliostream.events.model.Position;
import com.portfoliostream.events.model.Trade;
import java.util.Arrays;
import java.util.Optional;

/** Every kind of server-to-client message, with the payload it carries and its channel, if any. */
public enum EventType {
  POSITION_UPDATE("position_update", Position.class, Channel.POSITIONS),
  ORDER_UPDATE("order_update", Order.class, Channel.ORDERS),
  ACCOUNT_UPDATE("account_update", Account.class, Channel.ACCOUNT),
  TRADE_EXECUTED("trade_executed", Trade.class, Channel.TRADES),
  BATCH("batch", PortfolioFrame.class, null),
  SNAPSHOT("snapshot", PortfolioFrame.class, null),
  INFO("info", InfoPayload.class, null),
  PONG("pong", PongPayload.class, null),
  ERROR("error", ErrorPayload.class, null);

  private final String wire;
  private final Class<? extends EventPayload> payloadType;
  private final Channel channel;

  EventType(String wire, Class<? extends EventPayload> payloadType, Channel channel) {
    this.wire = wire;
    this.payloadType = payloadType;
    this.channel = channel;
  }

  @JsonValue
  public String wire() {
    return wire;
  }

  public Class<? extends EventPayload> payloadType() {
    return payloadType;
  }

  /** The channel whose subscribers receive this type; empty for control and multi-channel types. */
  public Optional<Channel> channel() {
    return Optional.ofNullable(channel);
  }

  public static Optional<EventType> fromWire(String name) {
    return Arrays.stream(values()).filter(t -> t.wire.equals(name)).findFirst();
  }
}
