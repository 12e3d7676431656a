package com.portfoliostream.web.auth;

import java.util.HashMap;
import java.util.Map;

/**
 * Bounds the password hashes this node computes at once (PBKDF2 is deliberately slow): at most
 * {@code perNode} in all and {@link #PER_USERNAME} for one username. An attempt over either bound
 * is refused at once (503, try again in a second) instead of queueing on the worker pool, so a
 * login flood cannot take the node's CPU. One per node, shared by its event loops: synchronized.
 */
final class HashGate {

  static final int PER_USERNAME = 2;

  private final int perNode;
  private final Map<String, Integer> byUsername = new HashMap<>();
  private int inFlight;

  HashGate(int perNode) {
    this.perNode = perNode;
  }

  /** True when the hash may start; the caller then owes one {@link #leave}. */
  synchronized boolean enter(String username) {
    int mine = byUsername.getOrDefault(username, 0);
    if (inFlight >= perNode || mine >= PER_USERNAME) {
      return false;
    }
    inFlight++;
    byUsername.put(username, mine + 1);
    return true;
  }

  synchronized void leave(String username) {
    inFlight--;
    byUsername.computeIfPresent(username, (name, count) -> count <= 1 ? null : count - 1);
  }

  synchronized int inFlight() {
    return inFlight;
  }
}
