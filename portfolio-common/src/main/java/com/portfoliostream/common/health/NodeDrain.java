package com.portfoliostream.common.health;

import io.vertx.core.Vertx;

/**
 * Whether this node is draining: stopping, its readiness down so that the load balancer sends it
 * nothing new, while what it already serves goes on for DRAIN_SECONDS. Kept in the Vert.x
 * instance's local shared data, so every server of the node sees the same flag.
 */
public final class NodeDrain {

  private static final String MAP = "portfolio.node";
  private static final String DRAINING = "draining";

  private NodeDrain() {}

  /** From now on readiness reports {@code draining} and is down. */
  public static void begin(Vertx vertx) {
    vertx.sharedData().<String, Boolean>getLocalMap(MAP).put(DRAINING, true);
  }

  public static boolean isDraining(Vertx vertx) {
    return Boolean.TRUE.equals(vertx.sharedData().<String, Boolean>getLocalMap(MAP).get(DRAINING));
  }
}
