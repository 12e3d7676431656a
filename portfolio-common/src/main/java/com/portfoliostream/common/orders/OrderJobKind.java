package com.portfoliostream.common.orders;

import java.util.Locale;

/** What an order job does, as {@code order_jobs.kind} stores it ({@link #sql()}) and the logs and metrics name it. */
public enum OrderJobKind {

  /** Hand a new order to the broker. */
  SUBMIT,
  /** Ask the broker to cancel an order. */
  CANCEL;

  private final String sql = name().toLowerCase(Locale.ROOT);

  /** The value in {@code order_jobs.kind}, bound as a parameter. */
  public String sql() {
    return sql;
  }

  /** The kind a stored value names; anything else fails (the table's check constraint allows no other). */
  public static OrderJobKind fromSql(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }

  /** The stored name, so that log lines read as before. */
  @Override
  public String toString() {
    return sql;
  }
}
