package com.portfoliostream.events.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** Whether a position profits from a rise (long) or a fall (short) in price. */
public enum PositionSide {
  LONG("long"),
  SHORT("short");

  private final String wire;

  PositionSide(String wire) {
    this.wire = wire;
  }

  @JsonValue
  public String wire() {
    return wire;
  }
}
