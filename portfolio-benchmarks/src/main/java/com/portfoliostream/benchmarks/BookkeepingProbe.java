package com.portfoliostream.benchmarks;

import com.portfoliostream.stream.ws.IdleSockets;
import java.time.Clock;
import org.openjdk.jol.info.GraphLayout;

/**
 * Measures the heap the edge's own bookkeeping holds per idle socket ({@link IdleSockets}): the
 * registry entries and each connection with its subscription, rate limiter, counters and backlog,
 * but not the Vert.x/Netty socket underneath (that is counted in the whole-process figure).
 */
final class BookkeepingProbe {

  private BookkeepingProbe() {}

  /** Bytes per socket for {@code sockets} idle sockets spread over {@code users} users. */
  static double bytesPerIdleSocket(int sockets, int users) {
    Clock clock = Clock.systemUTC();
    long empty = GraphLayout.parseInstance(IdleSockets.registry(0, users, clock, 100), clock).totalSize();
    long full = GraphLayout.parseInstance(IdleSockets.registry(sockets, users, clock, 100), clock).totalSize();
    return (double) (full - empty) / sockets;
  }
}
