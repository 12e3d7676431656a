package com.portfoliostream.simulator.market;

import java.util.Locale;

/** The {@code trade_updates} events the simulator produces; the wire name is the lower-case name. */
public enum TradeEvent {
  PENDING_NEW, NEW, PARTIAL_FILL, FILL, PENDING_CANCEL, CANCELED, EXPIRED, DONE_FOR_DAY, PENDING_REPLACE, REPLACED,
  REJECTED, ORDER_CANCEL_REJECTED, ORDER_REPLACE_REJECTED, STOPPED, SUSPENDED, CALCULATED;

  /** Events of the exchange that the simulated market has no cause for; sent on demand (control API). */
  public boolean isExchangeEvent() {
    return this == STOPPED || this == SUSPENDED || this == CALCULATED;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
