package com.portfoliostream.stream.ws;

import com.portfoliostream.events.protocol.CloseReason;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The open sockets of this node: by id, by user and by session, with how they closed. The admin
 * stats read it; the fan-out uses it to find a user's sockets. Mutated on the edge's event loop.
 */
public final class ConnectionRegistry {

  private final Map<String, SocketConnection> byId = new ConcurrentHashMap<>();
  private final Map<UUID, Set<SocketConnection>> byUser = new HashMap<>();
  private final Map<String, LongAdder> closeReasons = new ConcurrentHashMap<>();
  private final LongAdder opened = new LongAdder();

  void add(SocketConnection connection) {
    byId.put(connection.id(), connection);
    byUser.computeIfAbsent(connection.userId(), u -> new LinkedHashSet<>()).add(connection);
    opened.increment();
  }

  /** Removes the socket and counts how it ended; false when it was not (or no longer) registered. */
  boolean remove(SocketConnection connection) {
    if (byId.remove(connection.id()) == null) {
      return false;
    }
    CloseReason reason = connection.closeReason();
    closeReasons.computeIfAbsent(reason == null ? "client_close" : reason.name().toLowerCase(),
        r -> new LongAdder()).increment();
    Set<SocketConnection> sockets = byUser.get(connection.userId());
    sockets.remove(connection);
    if (sockets.isEmpty()) {
      byUser.remove(connection.userId());
    }
    return true;
  }

  public int size() {
    return byId.size();
  }

  Collection<SocketConnection> ofUser(UUID userId) {
    return byUser.getOrDefault(userId, Set.of());
  }

  List<SocketConnection> ofSession(String sessionId) {
    return byId.values().stream().filter(c -> c.sessionId().equals(sessionId)).toList();
  }

  Set<String> sessionIds() {
    Set<String> ids = new LinkedHashSet<>();
    byId.values().forEach(c -> ids.add(c.sessionId()));
    return ids;
  }

  List<SocketConnection> all() {
    return new ArrayList<>(byId.values());
  }

  /** A copy of every open socket's details. */
  public List<ConnectionInfo> connections() {
    return byId.values().stream().map(SocketConnection::info).toList();
  }

  /** Open sockets per user on this node. */
  public Map<UUID, Integer> socketsPerUser() {
    Map<UUID, Integer> counts = new TreeMap<>();
    byId.values().forEach(c -> counts.merge(c.userId(), 1, Integer::sum));
    return counts;
  }

  /** How many sockets ended for each reason since the node started ("client_close" when the client left). */
  public Map<String, Long> closeReasons() {
    Map<String, Long> counts = new TreeMap<>();
    closeReasons.forEach((reason, count) -> counts.put(reason, count.sum()));
    return counts;
  }

  public long totalOpened() {
    return opened.sum();
  }
}
