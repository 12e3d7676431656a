package com.portfoliostream.stream.ws;

import java.time.Clock;
import java.util.UUID;
import org.openjdk.jol.info.GraphLayout;

/**
 * Measures the heap the edge's own bookkeeping holds per idle socket: the registry entries and
 * each {@link SocketConnection} with its subscription, rate limiter, counters and backlog, but
 * not the Vert.x/Netty socket underneath (that is counted in the whole-process figure).
 */
public final class BookkeepingProbe {

  private BookkeepingProbe() {}

  /** Bytes per socket for {@code sockets} idle sockets spread over {@code users} users. */
  public static double bytesPerIdleSocket(int sockets, int users) {
    ConnectionRegistry registry = new ConnectionRegistry();
    UUID[] userIds = new UUID[users];
    for (int u = 0; u < users; u++) {
      userIds[u] = UUID.randomUUID();
    }
    Clock clock = Clock.systemUTC();
    long empty = GraphLayout.parseInstance(registry, clock).totalSize();
    for (int i = 0; i < sockets; i++) {
      registry.add(new SocketConnection(null, userIds[i % users], UUID.randomUUID().toString().replace("-", ""),
          clock, 100));
    }
    long full = GraphLayout.parseInstance(registry, clock).totalSize();
    return (double) (full - empty) / sockets;
  }
}
