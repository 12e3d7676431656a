package com.portfoliostream.common.config;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** What a node does. {@code all} in config means every role in one JVM (the demo). */
public enum Role {
  /** HTTP and WebSocket edge on PORT, with the batching verticle. */
  STREAM,
  /** Broker streams, fill processing and position sync. */
  INGEST,
  /** The durable order work queue and its workers. */
  ORDERS,
  /** Stats, metrics, health and the admin page on ADMIN_PORT. */
  ADMIN,
  /** An Alpaca-compatible broker on SIM_PORT, for demos and tests only. */
  SIMULATOR;

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Role> fromConfigName(String name) {
    return Arrays.stream(values()).filter(r -> r.configName().equals(name)).findFirst();
  }

  public static Set<Role> all() {
    return EnumSet.allOf(Role.class);
  }
}
