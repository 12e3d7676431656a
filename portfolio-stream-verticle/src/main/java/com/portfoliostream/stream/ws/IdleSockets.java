package com.portfoliostream.stream.ws;

import java.time.Clock;
import java.util.UUID;

/**
 * The edge's per-socket bookkeeping without the sockets: a registry holding idle connections the way
 * a node holds them (subscription, rate limiter, counters, outbound queue), for measuring what one
 * idle socket costs the heap (the benchmarks' object-graph probe). Nothing is sent or scheduled.
 */
public final class IdleSockets {

  private IdleSockets() {}

  /** A registry of {@code sockets} idle connections spread over {@code users} users. */
  public static ConnectionRegistry registry(int sockets, int users, Clock clock, int messagesPerSecond) {
    ConnectionRegistry registry = new ConnectionRegistry(clock);
    UUID[] userIds = new UUID[users];
    for (int u = 0; u < users; u++) {
      userIds[u] = UUID.randomUUID();
    }
    for (int i = 0; i < sockets; i++) {
      registry.add(new SocketConnection(null, userIds[i % users], UUID.randomUUID().toString().replace("-", ""),
          clock, messagesPerSecond));
    }
    return registry;
  }
}
