package com.portfoliostream.simulator.market;

import java.util.Locale;

/** Alpaca's order statuses; the wire name is the lower-case constant name. */
public enum OrderStatus {
  ACCEPTED, PENDING_NEW, NEW, PARTIALLY_FILLED, FILLED, DONE_FOR_DAY, PENDING_CANCEL, PENDING_REPLACE, CANCELED,
  EXPIRED, REPLACED, REJECTED, STOPPED, SUSPENDED, CALCULATED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Filled, canceled, expired, replaced and rejected orders never change again. */
  public boolean isTerminal() {
    return this == FILLED || this == CANCELED || this == EXPIRED || this == REPLACED || this == REJECTED;
  }
}
