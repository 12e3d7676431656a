package com.portfoliostream.events.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The data channels a socket can subscribe to, each carrying one kind of entity. */
public enum Channel {
  POSITIONS("positions"),
  ORDERS("orders"),
  ACCOUNT("account"),
  TRADES("trades");

  private final String wire;

  Channel(String wire) {
    this.wire = wire;
  }

  @JsonValue
  public String wire() {
    return wire;
  }

  public static Optional<Channel> fromWire(String name) {
    return Arrays.stream(values()).filter(c -> c.wire.equals(name)).findFirst();
  }

  public static List<String> wireNames() {
    return Arrays.stream(values()).map(Channel::wire).toList();
  }
}
