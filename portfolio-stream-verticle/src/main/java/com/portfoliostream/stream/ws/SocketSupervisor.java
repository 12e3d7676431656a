package com.portfoliostream.stream.ws;

import com.portfoliostream.common.config.StreamSettings;
import com.portfoliostream.events.protocol.BusAddresses;
import com.portfoliostream.events.protocol.CloseReason;
import com.portfoliostream.common.control.ControlSignals;
import com.portfoliostream.common.control.RolloutPolicy;
import com.portfoliostream.common.control.RolloutWatch;
import io.vertx.core.Context;
import java.util.List;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import com.portfoliostream.web.session.PgSessionStore;
import java.util.Set;
import com.portfoliostream.common.db.OutageLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the sockets of one event loop honest: pings each one and closes the silent ones; closes
 * every socket of a session that was signed out (on any node) or expired. One per socket-serving
 * verticle instance, started on its loop: one heartbeat timer per loop, none per socket.
 */
public final class SocketSupervisor {

  /** How often sockets' sessions are checked for expiry. */
  public static final long SESSION_CHECK_MS = 5_000;
  private static final Logger LOG = LoggerFactory.getLogger(SocketSupervisor.class);

  private final Vertx vertx;
  private final StreamSettings settings;
  private final ConnectionRegistry registry;
  private final PgSessionStore sessions;
  private final OutageLog sessionCheckLog = new OutageLog(LOG, "Checking the sessions of open sockets");
  private final RolloutWatch rollout;
  private final ControlSignals control;
  private Runnable usersSignal = () -> {};
  private MessageConsumer<JsonObject> revocations;
  private Context loop;
  private long heartbeatTimer = -1;
  private long sessionTimer = -1;

  public SocketSupervisor(Vertx vertx, StreamSettings settings, ConnectionRegistry registry, PgSessionStore sessions,
      RolloutWatch rollout, ControlSignals control) {
    this.rollout = rollout;
    this.control = control;
    this.vertx = vertx;
    this.settings = settings;
    this.registry = registry;
    this.sessions = sessions;
  }

  /** Starts on the calling verticle's event loop, and looks after the sockets served there. */
  public Future<Void> start() {
    loop = ((io.vertx.core.internal.ContextInternal) vertx.getOrCreateContext()).unwrap();
    heartbeatTimer = vertx.setPeriodic(settings.heartbeatIntervalMs(), id -> heartbeat());
    sessionTimer = vertx.setPeriodic(SESSION_CHECK_MS, id -> checkSessions());
    // A user disabled or deleted (their sessions are gone): their sockets close now, not at the next check.
    usersSignal = control.on(vertx, ControlSignals.Kind.USERS, this::checkSessions);
    rollout.onChange(vertx, this::applyRollout);
    revocations = vertx.eventBus().consumer(BusAddresses.SESSION_REVOKED,
        message -> closeSession(message.body().getString(BusAddresses.SESSION_HASH_FIELD)));
    return revocations.completion();
  }

  public Future<Void> stop() {
    vertx.cancelTimer(heartbeatTimer);
    vertx.cancelTimer(sessionTimer);
    usersSignal.run();
    return revocations == null ? Future.succeededFuture() : revocations.unregister();
  }

  private void heartbeat() {
    registry.on(loop).forEach(connection -> connection.heartbeat(settings.heartbeatIntervalMs(), settings.heartbeatTimeoutMs()));
  }

  /** One query for every session this node has sockets of; a session not found live closes its sockets. */
  private void checkSessions() {
    Set<String> hashes = registry.sessionHashes(loop);
    if (hashes.isEmpty()) {
      return;
    }
    sessions.liveOf(hashes).onComplete(found -> {
      if (found.failed()) {
        sessionCheckLog.failed(found.cause());
        return;
      }
      sessionCheckLog.succeeded();
      hashes.stream().filter(hash -> !found.result().contains(hash)).forEach(this::closeSession);
    });
  }

  /** Closes 4503 (poll REST instead) every socket of this loop whose user the rollout no longer admits. */
  private void applyRollout(RolloutPolicy policy) {
    List<SocketConnection> out = registry.on(loop).stream().filter(c -> !policy.admits(c.userId())).toList();
    if (!out.isEmpty()) {
      LOG.info("Real-time rollout changed: closing {} socket(s) of users it no longer admits", out.size());
      out.forEach(c -> c.close(CloseReason.REALTIME_OFF));
    }
  }

  private void closeSession(String sessionHash) {
    if (sessionHash == null) {
      return;
    }
    registry.ofSession(sessionHash, loop).forEach(c -> c.close(CloseReason.AUTHENTICATION_REQUIRED));
  }
}
