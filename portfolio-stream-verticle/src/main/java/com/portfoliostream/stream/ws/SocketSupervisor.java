package com.portfoliostream.stream.ws;

import com.portfoliostream.common.config.StreamSettings;
import com.portfoliostream.events.protocol.BusAddresses;
import com.portfoliostream.events.protocol.CloseReason;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.sstore.SessionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the node's sockets honest: pings each one and closes the silent ones; closes every socket
 * of a session that was signed out (on any node) or expired.
 */
public final class SocketSupervisor {

  /** How often sockets' sessions are checked for expiry. */
  public static final long SESSION_CHECK_MS = 5_000;
  private static final Logger LOG = LoggerFactory.getLogger(SocketSupervisor.class);

  private final Vertx vertx;
  private final StreamSettings settings;
  private final ConnectionRegistry registry;
  private final SessionStore sessions;
  private MessageConsumer<JsonObject> revocations;
  private long heartbeatTimer = -1;
  private long sessionTimer = -1;

  public SocketSupervisor(Vertx vertx, StreamSettings settings, ConnectionRegistry registry, SessionStore sessions) {
    this.vertx = vertx;
    this.settings = settings;
    this.registry = registry;
    this.sessions = sessions;
  }

  public Future<Void> start() {
    heartbeatTimer = vertx.setPeriodic(settings.heartbeatIntervalMs(), id -> heartbeat());
    sessionTimer = vertx.setPeriodic(SESSION_CHECK_MS, id -> checkSessions());
    revocations = vertx.eventBus().consumer(BusAddresses.SESSION_REVOKED,
        message -> closeSession(message.body().getString("sessionId")));
    return revocations.completion();
  }

  public Future<Void> stop() {
    vertx.cancelTimer(heartbeatTimer);
    vertx.cancelTimer(sessionTimer);
    return revocations == null ? Future.succeededFuture() : revocations.unregister();
  }

  private void heartbeat() {
    registry.all().forEach(connection -> connection.heartbeat(settings.heartbeatTimeoutMs()));
  }

  private void checkSessions() {
    for (String sessionId : registry.sessionIds()) {
      sessions.get(sessionId).onComplete(found -> {
        if (found.succeeded() && found.result() == null) {
          closeSession(sessionId);
        } else if (found.failed()) {
          LOG.warn("Could not check a session: {}", found.cause().getMessage());
        }
      });
    }
  }

  private void closeSession(String sessionId) {
    if (sessionId == null) {
      return;
    }
    registry.ofSession(sessionId).forEach(c -> c.close(CloseReason.AUTHENTICATION_REQUIRED));
  }
}
