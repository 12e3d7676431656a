package com.portfoliostream.events.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/**
 * Order statuses: Alpaca's full set, plus {@link #FAILED} for an order we could not hand to the
 * broker at all (the work queue gave up), which Alpaca never reports.
 */
public enum OrderStatus {
  PENDING_NEW("pending_new", false),
  NEW("new", false),
  ACCEPTED("accepted", false),
  ACCEPTED_FOR_BIDDING("accepted_for_bidding", false),
  PARTIALLY_FILLED("partially_filled", false),
  PENDING_CANCEL("pending_cancel", false),
  PENDING_REPLACE("pending_replace", false),
  CALCULATED("calculated", false),
  STOPPED("stopped", false),
  SUSPENDED("suspended", false),
  DONE_FOR_DAY("done_for_day", false),
  FILLED("filled", true),
  CANCELED("canceled", true),
  EXPIRED("expired", true),
  REPLACED("replaced", true),
  REJECTED("rejected", true),
  FAILED("failed", true);

  private final String wire;
  private final boolean terminal;

  OrderStatus(String wire, boolean terminal) {
    this.wire = wire;
    this.terminal = terminal;
  }

  @JsonValue
  public String wire() {
    return wire;
  }

  /** A terminal order never changes again: it cannot be canceled and is not "open". */
  public boolean isTerminal() {
    return terminal;
  }

  public static Optional<OrderStatus> fromWire(String name) {
    return Arrays.stream(values()).filter(s -> s.wire.equals(name)).findFirst();
  }
}
