package com.portfoliostream.events.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** Direction of an order or a trade. */
public enum OrderSide {
  BUY("buy"),
  SELL("sell");

  private final String wire;

  OrderSide(String wire) {
    this.wire = wire;
  }

  @JsonValue
  public String wire() {
    return wire;
  }
}
