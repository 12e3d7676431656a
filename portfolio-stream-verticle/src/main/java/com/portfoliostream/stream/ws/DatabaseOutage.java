package com.portfoliostream.stream.ws;

import com.portfoliostream.common.db.DatabaseWatch;
import com.portfoliostream.events.model.Channel;
import com.portfoliostream.events.protocol.InfoCode;
import com.portfoliostream.events.protocol.ServerEvents;
import io.vertx.core.Context;
import java.time.Clock;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What one socket-serving loop does while the node's database is away: its sockets stay open and
 * are told {@code info} DATA_STALE (details {@code source: "database"}) when the outage starts and
 * DATA_RESUMED when it ends; a snapshot that could not be read for the outage is owed to its socket
 * and read again at the database's next answer (after a blip as after an outage), so no socket
 * stays without one. Nothing else is re-read when the database comes back: what the broker did
 * meanwhile arrives as events once ingest has backfilled it, and a reconnect storm of snapshots
 * would meet a database just restarted. Confined to its loop; the owed snapshots are at most one
 * per socket of the loop.
 */
final class DatabaseOutage {

  static final String SOURCE = "database";

  private final DatabaseWatch watch;
  private final ConnectionRegistry registry;
  private final Context loop;
  private final Clock clock;
  private final Map<SocketConnection, Set<Channel>> owed = new LinkedHashMap<>();

  DatabaseOutage(DatabaseWatch watch, ConnectionRegistry registry, Context loop, Clock clock) {
    this.watch = watch;
    this.registry = registry;
    this.loop = loop;
    this.clock = clock;
  }

  /** From any thread: the database went ({@code false}) or is back; told to this loop's sockets. */
  void changed(boolean up) {
    loop.runOnContext(v -> {
      InfoCode code = up ? InfoCode.DATA_RESUMED : InfoCode.DATA_STALE;
      String message = up ? "Portfolio data is live again"
          : "Portfolio data may be out of date: the database is unreachable; this socket stays open";
      for (SocketConnection connection : registry.on(loop)) {
        connection.send(ServerEvents.notice(connection.userId().toString(), code, message,
            Map.of("source", SOURCE), clock.instant()));
      }
    });
  }

  /** On this loop: the snapshot of {@code channels} could not be read for the outage; it is read again later. */
  void owe(SocketConnection connection, Set<Channel> channels) {
    if (owed.isEmpty()) {
      watch.nextAnswer().onComplete(answered -> loop.runOnContext(v -> repay()));
    }
    owed.computeIfAbsent(connection, c -> EnumSet.noneOf(Channel.class)).addAll(channels);
  }

  private void repay() {
    Map<SocketConnection, Set<Channel>> due = new LinkedHashMap<>(owed);
    owed.clear();
    due.forEach((connection, channels) -> {
      if (connection.closeReason() == null && !connection.socket().isClosed()) {
        connection.requestSnapshot(channels);
      }
    });
  }
}
