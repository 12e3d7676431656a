package com.portfoliostream.events.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** How long an order stays working, as Alpaca names it. */
public enum TimeInForce {
  DAY("day"),
  GTC("gtc"),
  OPG("opg"),
  CLS("cls"),
  IOC("ioc"),
  FOK("fok");

  private final String wire;

  TimeInForce(String wire) {
    this.wire = wire;
  }

  @JsonValue
  public String wire() {
    return wire;
  }
}
