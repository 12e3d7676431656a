package com.portfoliostream.events.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** Order types as Alpaca names them. */
public enum OrderType {
  MARKET("market"),
  LIMIT("limit"),
  STOP("stop"),
  STOP_LIMIT("stop_limit"),
  TRAILING_STOP("trailing_stop");

  private final String wire;

  OrderType(String wire) {
    this.wire = wire;
  }

  @JsonValue
  public String wire() {
    return wire;
  }

  public boolean needsLimitPrice() {
    return this == LIMIT || this == STOP_LIMIT;
  }

  public boolean needsStopPrice() {
    return this == STOP || this == STOP_LIMIT;
  }
}
