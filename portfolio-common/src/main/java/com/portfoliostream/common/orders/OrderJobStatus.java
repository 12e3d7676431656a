package com.portfoliostream.common.orders;

import java.util.Locale;

/** Where an order job stands, as {@code order_jobs.status} stores it ({@link #sql()}). */
public enum OrderJobStatus {

  /** Waiting for a worker (new, or a retry waiting for its {@code next_attempt_at}). */
  QUEUED,
  /** Claimed by the worker named in {@code lease_owner} until {@code lease_expires_at}. */
  RUNNING,
  /** Finished: the broker has the order (or refused it), or the cancel was asked. */
  DONE,
  /** Dead-lettered after its last attempt; {@code last_error} says why. */
  DEAD;

  private final String sql = name().toLowerCase(Locale.ROOT);

  /** The value in {@code order_jobs.status}, bound as a parameter. */
  public String sql() {
    return sql;
  }

  /** Waiting or running: the job is not finished, and counts in the queue's depth. */
  public boolean pending() {
    return this == QUEUED || this == RUNNING;
  }

  /** The status a stored value names; anything else fails (the table's check constraint allows no other). */
  public static OrderJobStatus fromSql(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }

  /** The stored name, so that log lines read as before. */
  @Override
  public String toString() {
    return sql;
  }
}
