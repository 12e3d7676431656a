package com.portfoliostream.stream.ws;

import com.portfoliostream.common.config.StreamSettings;
import com.portfoliostream.common.db.DatabaseFailures;
import com.portfoliostream.common.db.DatabaseWatch;
import com.portfoliostream.events.protocol.ClientMessage;
import com.portfoliostream.events.protocol.CloseReason;
import com.portfoliostream.events.protocol.ErrorCode;
import com.portfoliostream.events.protocol.ProtocolError;
import com.portfoliostream.events.protocol.ServerEvents;
import com.portfoliostream.web.auth.SessionUser;
import com.portfoliostream.web.session.SessionHash;
import com.portfoliostream.web.http.ApiError;
import com.portfoliostream.web.http.ConnectionAbort;
import com.portfoliostream.web.http.OriginPolicy;
import com.portfoliostream.events.model.Channel;
import com.portfoliostream.stream.portfolio.SnapshotLoader;
import com.portfoliostream.common.control.RolloutWatch;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /ws/portfolio}: refuses before the upgrade what HTTP can refuse (feature off 503, foreign
 * origin 403, no session 401), upgrades, then admits the socket against the node's capacity
 * (close 1013) and the user's cluster-wide limit (close 1008).
 */
public final class PortfolioSocketHandler implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(PortfolioSocketHandler.class);
  /** Attempts at a subscribe's snapshot before the socket is told to subscribe again. */
  static final int SNAPSHOT_ATTEMPTS = 3;
  /** Pause before the second attempt; the third waits twice as long. */
  static final long SNAPSHOT_RETRY_MS = 1_000;

  private final Vertx vertx;
  private final StreamSettings settings;
  private final ConnectionRegistry registry;
  private final BatchingVerticle batching;
  private final io.vertx.core.Context loop;
  private final UserSlots slots;
  private final OriginPolicy origins;
  private final SnapshotLoader snapshots;
  private final long snapshotDeadlineMs;
  private final Clock clock;
  private final SocketMetrics socketMetrics;
  private final RecentDisconnects recentDisconnects;
  private final DatabaseOutage outage;
  private final RolloutWatch rollout;

  /** Built on the event loop whose sockets it serves. */
  public PortfolioSocketHandler(Vertx vertx, SocketSlots socketSlots, StreamSettings settings,
      ConnectionRegistry registry, SnapshotLoader snapshots, long snapshotDeadlineMs, BatchingVerticle batching,
      SocketMetrics socketMetrics, DatabaseWatch database, RolloutWatch rollout, Clock clock) {
    this.rollout = rollout;
    this.batching = batching;
    this.loop = ((io.vertx.core.internal.ContextInternal) vertx.getOrCreateContext()).unwrap();
    this.socketMetrics = socketMetrics;
    this.recentDisconnects = new RecentDisconnects(vertx);
    this.vertx = vertx;
    this.settings = settings;
    this.registry = registry;
    this.slots = socketSlots.slots;
    this.origins = new OriginPolicy(settings.allowedOrigins());
    this.snapshots = snapshots;
    this.snapshotDeadlineMs = snapshotDeadlineMs;
    this.clock = clock;
    this.outage = new DatabaseOutage(database, registry, loop, clock);
  }

  /** From any thread: the node's database went ({@code false}) or came back; this loop's sockets are told. */
  public void databaseChanged(boolean up) {
    outage.changed(up);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!settings.realtimeEnabled()) {
      ApiError.REALTIME_DISABLED.send(ctx, "Real-time portfolio streaming is disabled; poll the REST API");
      return;
    }
    if (!origins.permits(ctx.request())) {
      ApiError.ORIGIN_NOT_ALLOWED.send(ctx, "This origin may not open portfolio sockets",
          Map.of("origin", ctx.request().getHeader("Origin")));
      return;
    }
    Optional<SessionUser> user = SessionUser.of(ctx);
    if (user.isEmpty()) {
      socketMetrics.authFailure();
      ApiError.UNAUTHENTICATED.send(ctx, "Authentication required");
      return;
    }
    if (!rollout.current().admits(user.get().userId())) {
      ApiError.REALTIME_DISABLED.send(ctx, "Real-time updates are not enabled for this account; poll the REST API");
      return;
    }
    if (!ctx.request().canUpgradeToWebSocket()) {
      ApiError.INVALID_REQUEST.send(ctx, "This endpoint speaks WebSocket only");
      return;
    }
    String sessionHash = SessionHash.of(ctx.session().id());
    HttpConnection tcp = ctx.request().connection();
    ctx.request().toWebSocket()
        .onSuccess(socket -> {
          forgetRouting(ctx);
          admit(socket, tcp, user.get(), sessionHash);
        })
        .onFailure(e -> LOG.debug("WebSocket upgrade failed: {}", e.getMessage()));
  }

  /**
   * Vert.x keeps the upgraded request, and its response, for as long as the socket lives; the
   * router's handlers on them (the session handler's headers-end hook, say) hold the routing
   * context, its session and data: about 4 KB a socket, for nothing, since a 101 response never
   * ends again. Dropping them lets that go.
   */
  private static void forgetRouting(RoutingContext ctx) {
    ctx.response().headersEndHandler(null).bodyEndHandler(null).endHandler(null).closeHandler(null)
        .exceptionHandler(null).drainHandler(null);
    ctx.request().handler(null).endHandler(null).exceptionHandler(null);
  }

  private void admit(ServerWebSocket socket, HttpConnection tcp, SessionUser user, String sessionHash) {
    socket.pause();
    if (registry.size() >= settings.maxConnections()) {
      close(socket, CloseReason.SERVER_CAPACITY);
      return;
    }
    SocketConnection connection = new SocketConnection(socket, user.userId(), sessionHash, clock,
        settings.maxClientMessagesPerSecond());
    connection.watchProtocolErrors();
    Runnable cut = ConnectionAbort.cutter(tcp);
    connection.onAbort(delay -> vertx.setTimer(delay, id -> cut.run()));
    socket.closeHandler(v -> closed(connection));
    slots.acquire(user.userId(), connection.id()).onComplete(admitted -> {
      if (admitted.failed()) {
        refuseUncounted(socket, user, admitted.cause());
        return;
      }
      switch (admitted.result()) {
        case ADMITTED -> {
          if (socket.isClosed()) {
            slots.release(connection.id());
          } else {
            open(connection);
          }
        }
        case FULL -> close(socket, CloseReason.MAX_CONNECTIONS_PER_USER, settings.maxConnectionsPerUser());
        case HELD_BY_SILENT_NODE -> close(socket, CloseReason.SOCKETS_ON_SILENT_NODE);
      }
    });
  }

  /** The socket could not be counted: "try again" while the database is away (1013), else our fault (1011). */
  private static void refuseUncounted(ServerWebSocket socket, SessionUser user, Throwable cause) {
    if (DatabaseFailures.isUnavailable(cause)) {
      close(socket, CloseReason.DATABASE_UNAVAILABLE);
    } else {
      LOG.warn("Could not count sockets of user {}: {}", user.userId(), cause.getMessage());
      close(socket, CloseReason.INTERNAL_ERROR);
    }
  }

  private void open(SocketConnection connection) {
    if (!rollout.current().admits(connection.userId())) {
      // Taken out of the rollout while its slot was being counted.
      connection.close(CloseReason.REALTIME_OFF);
      slots.release(connection.id());
      return;
    }
    registry.add(connection);
    recentDisconnects.consume(connection.userId()).onSuccess(returning -> {
      if (returning) {
        socketMetrics.reconnect();
      }
    });
    batching.attach(connection.userId())
        .onSuccess(v -> connection.start(this::sendSnapshot))
        .onFailure(e -> {
          LOG.warn("Could not listen for events of user {}: {}", connection.userId(), e.getMessage());
          connection.close(CloseReason.INTERNAL_ERROR);
        });
  }

  private void closed(SocketConnection connection) {
    if (!registry.remove(connection)) {
      return;
    }
    ended(connection);
    batching.detach(connection.userId());
    slots.release(connection.id());
  }

  /** Counts how the socket ended and remembers the user for a minute, to see them come back. */
  private void ended(SocketConnection connection) {
    socketMetrics.disconnect(ConnectionRegistry.closeReasonOf(connection));
    recentDisconnects.remember(connection.userId())
        .onFailure(e -> LOG.debug("Could not remember a disconnect: {}", e.getMessage()));
  }

  private Future<?> sendSnapshot(SocketConnection connection, ClientMessage.Subscribe subscribe) {
    return snapshotAttempt(connection, subscribe.channels(), 1);
  }

  /**
   * Loads and sends a snapshot; a missed deadline is said to the client ({@code SNAPSHOT_TIMEOUT})
   * and retried after a pause, up to {@link #SNAPSHOT_ATTEMPTS}. Completes when sent or given up.
   */
  private Future<Void> snapshotAttempt(SocketConnection connection, Set<Channel> channels, int attempt) {
    return snapshots.load(connection.userId(), channels, snapshotDeadlineMs).compose(frame -> {
      connection.deliver(ServerEvents.snapshot(connection.userId().toString(), frame, clock.instant()));
      return Future.<Void>succeededFuture();
    }, failure -> {
      if (connection.closeReason() != null || connection.socket().isClosed()) {
        return Future.succeededFuture();
      }
      if (DatabaseFailures.isUnavailable(failure)) {
        LOG.debug("Snapshot for user {} owed until the database answers: {}", connection.userId(),
            DatabaseFailures.summary(failure));
        outage.owe(connection, channels);
        return Future.succeededFuture();
      }
      if (!(failure instanceof SnapshotLoader.Missed)) {
        LOG.warn("Snapshot for user {} failed: {}", connection.userId(), failure.toString());
        connection.sendError(new ProtocolError(ErrorCode.INTERNAL_ERROR,
            "Could not load the snapshot; subscribe again or use the REST API", Map.of()));
        return Future.succeededFuture();
      }
      if (attempt >= SNAPSHOT_ATTEMPTS) {
        LOG.warn("Gave up the snapshot of user {} after {} attempts: {}", connection.userId(), attempt,
            failure.getMessage());
        connection.sendError(new ProtocolError(ErrorCode.SNAPSHOT_TIMEOUT, "The snapshot could not be loaded in "
            + attempt + " attempts; subscribe again or use the REST API", Map.of("attempt", attempt)));
        return Future.succeededFuture();
      }
      long retryInMs = SNAPSHOT_RETRY_MS * attempt;
      connection.sendError(new ProtocolError(ErrorCode.SNAPSHOT_TIMEOUT, "The snapshot is late ("
          + failure.getMessage() + "); retrying in " + retryInMs + " ms",
          Map.of("attempt", attempt, "retryInMs", retryInMs)));
      Promise<Void> retried = Promise.promise();
      vertx.setTimer(retryInMs, id -> snapshotAttempt(connection, channels, attempt + 1).onComplete(retried));
      return retried.future();
    });
  }

  private static void close(ServerWebSocket socket, CloseReason reason, Object... args) {
    LOG.debug("Refusing a socket: {}", reason);
    socket.close((short) reason.code(), reason.reason(args));
  }

  /** The user's sockets the cluster-wide per-user limit counts now. */
  public Future<Integer> socketsCounted(UUID userId) {
    return slots.count(userId);
  }

  /**
   * Closes every socket of this loop with {@code reason}; their slots go with the node's lease,
   * which the edge gives up once its loops have closed their sockets.
   */
  public Future<Void> closeAll(CloseReason reason) {
    for (SocketConnection connection : registry.on(loop)) {
      connection.close(reason);
      if (registry.remove(connection)) {
        socketMetrics.disconnect(ConnectionRegistry.closeReasonOf(connection));
        batching.detach(connection.userId());
        slots.release(connection.id());
      }
    }
    return Future.succeededFuture();
  }

}
