package com.portfoliostream.stream.ws;

import com.portfoliostream.events.protocol.CloseReason;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.LongAdder;

/**
 * The open sockets of this node: by id, by user and by session, with how they closed. The admin
 * stats read it; the batching stage uses it to find a user's sockets. Shared by every socket
 * event loop of the node, so safe from any thread: a user's sockets are kept as an immutable
 * list replaced on each change, which the batching stage reads without a lock.
 */
public final class ConnectionRegistry {

  public static final int RECENT_DISCONNECTS = 50;
  private static final Object NO_LOOP = new Object();

  private final Map<String, SocketConnection> byId = new ConcurrentHashMap<>();
  private final Map<UUID, List<SocketConnection>> byUser = new ConcurrentHashMap<>();
  /**
   * Per event loop, its sockets by session: what the loop's supervisor walks (heartbeats every
   * interval, session checks every few seconds) without scanning the other loops' sockets.
   */
  private final Map<Object, Map<String, Set<SocketConnection>>> byLoop = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> closeReasons = new ConcurrentHashMap<>();
  private final LongAdder opened = new LongAdder();
  /** The newest {@link #RECENT_DISCONNECTS} disconnects, newest first. */
  private final Deque<Disconnect> recentDisconnects = new ConcurrentLinkedDeque<>();
  private final Clock clock;

  /** One socket that ended: when, whose, and why ({@code client_close} when the client left). */
  public record Disconnect(Instant at, UUID userId, String reason) {}

  public ConnectionRegistry() {
    this(Clock.systemUTC());
  }

  public ConnectionRegistry(Clock clock) {
    this.clock = clock;
  }

  /** How a socket ended, as the disconnect metrics name it. */
  static String closeReasonOf(SocketConnection connection) {
    CloseReason reason = connection.closeReason();
    return reason == null ? "client_close" : reason.name().toLowerCase(Locale.ROOT);
  }

  void add(SocketConnection connection) {
    byId.put(connection.id(), connection);
    byUser.compute(connection.userId(), (user, sockets) -> {
      List<SocketConnection> next = new ArrayList<>(sockets == null ? List.of() : sockets);
      next.add(connection);
      return List.copyOf(next);
    });
    byLoop.computeIfAbsent(loopOf(connection), loop -> new ConcurrentHashMap<>())
        .compute(connection.sessionHash(), (session, sockets) -> {
          Set<SocketConnection> next = sockets == null ? ConcurrentHashMap.newKeySet() : sockets;
          next.add(connection);
          return next;
        });
    opened.increment();
  }

  /** Removes the socket and counts how it ended; false when it was not (or no longer) registered. */
  boolean remove(SocketConnection connection) {
    if (byId.remove(connection.id()) == null) {
      return false;
    }
    String reason = closeReasonOf(connection);
    closeReasons.computeIfAbsent(reason, r -> new LongAdder()).increment();
    recentDisconnects.addFirst(new Disconnect(clock.instant(), connection.userId(), reason));
    if (recentDisconnects.size() > RECENT_DISCONNECTS) {
      recentDisconnects.removeLast();
    }
    byUser.computeIfPresent(connection.userId(), (user, sockets) -> {
      List<SocketConnection> next = new ArrayList<>(sockets);
      next.remove(connection);
      return next.isEmpty() ? null : List.copyOf(next);
    });
    byLoop.getOrDefault(loopOf(connection), Map.of()).computeIfPresent(connection.sessionHash(), (session, sockets) -> {
      sockets.remove(connection);
      return sockets.isEmpty() ? null : sockets;
    });
    return true;
  }

  public int size() {
    return byId.size();
  }

  /** The user's sockets on this node, in the order they opened: a snapshot. */
  List<SocketConnection> ofUser(UUID userId) {
    return byUser.getOrDefault(userId, List.of());
  }

  /** The sockets of a session served on the event loop of {@code context}. */
  List<SocketConnection> ofSession(String sessionHash, io.vertx.core.Context context) {
    return List.copyOf(onLoop(context).getOrDefault(sessionHash, Set.of()));
  }

  /** The sessions of the sockets served on the event loop of {@code context}. */
  Set<String> sessionHashes(io.vertx.core.Context context) {
    return Set.copyOf(onLoop(context).keySet());
  }

  private Map<String, Set<SocketConnection>> onLoop(io.vertx.core.Context context) {
    return byLoop.getOrDefault(context == null ? NO_LOOP : context, Map.of());
  }

  /** Where a socket is indexed: its loop, or {@link #NO_LOOP} for one made off any loop (tests). */
  private static Object loopOf(SocketConnection connection) {
    return connection.context() == null ? NO_LOOP : connection.context();
  }

  List<SocketConnection> all() {
    return new ArrayList<>(byId.values());
  }

  /** How many event loops serve this node's open sockets. */
  public int eventLoopsInUse() {
    return (int) byId.values().stream().map(SocketConnection::context).distinct().count();
  }

  /** The sockets served on the event loop of {@code context}. */
  List<SocketConnection> on(io.vertx.core.Context context) {
    List<SocketConnection> sockets = new ArrayList<>();
    onLoop(context).values().forEach(sockets::addAll);
    return sockets;
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

  /** The latest disconnects on this node, newest first (at most {@link #RECENT_DISCONNECTS}). */
  public List<Disconnect> recentDisconnects() {
    return List.copyOf(recentDisconnects);
  }

  public long totalOpened() {
    return opened.sum();
  }
}
