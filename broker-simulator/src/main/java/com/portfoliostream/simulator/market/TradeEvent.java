package com.portfoliostream.simulator.market;

import java.util.Locale;

/** The {@code trade_updates} events the simulator produces; the wire name is the lower-case name. */
public enum TradeEvent {
  PENDING_NEW, NEW, PARTIAL_FILL, FILL, PENDING_CANCEL, CANCELED, EXPIRED, DONE_FOR_DAY, REPLACED, REJECTED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
