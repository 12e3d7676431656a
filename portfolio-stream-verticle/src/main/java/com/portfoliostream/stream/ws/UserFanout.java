package com.portfoliostream.stream.ws;

import com.portfoliostream.common.bus.UserEventBus;
import com.portfoliostream.events.protocol.BusAddresses;
import com.portfoliostream.events.protocol.CloseReason;
import com.portfoliostream.events.protocol.EventType;
import com.portfoliostream.events.protocol.ServerEvent;
import com.portfoliostream.stream.batch.EdgeMetrics;
import com.portfoliostream.stream.batch.Flush;
import com.portfoliostream.stream.batch.UserWindow;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batching stage of the edge. For each user with at least one socket on this node it holds
 * exactly one clustered consumer (never one per socket: cluster-wide registrations per socket do
 * not scale) and one {@link UserWindow}; each frame the window lets out goes to every socket of
 * that user, each filtering by its own subscription.
 */
final class UserFanout {

  private static final Logger LOG = LoggerFactory.getLogger(UserFanout.class);

  /** One user's consumer, window and window timer. */
  private static final class UserStream {
    final MessageConsumer<String> consumer;
    final UserWindow window;
    long timer = -1;

    UserStream(MessageConsumer<String> consumer, UserWindow window) {
      this.consumer = consumer;
      this.window = window;
    }
  }

  private final Vertx vertx;
  private final ConnectionRegistry registry;
  private final EdgeMetrics metrics;
  private final Clock clock;
  private final long windowMs;
  private final java.math.BigDecimal significancePercent;
  private final Map<UUID, UserStream> streams = new HashMap<>();

  UserFanout(Vertx vertx, ConnectionRegistry registry, EdgeMetrics metrics, Clock clock, long windowMs,
      java.math.BigDecimal significancePercent) {
    this.significancePercent = significancePercent;
    this.vertx = vertx;
    this.registry = registry;
    this.metrics = metrics;
    this.clock = clock;
    this.windowMs = windowMs;
  }

  /** Called when a user's first socket on this node opens; completes once registered cluster-wide. */
  Future<Void> attach(UUID userId) {
    UserStream existing = streams.get(userId);
    if (existing != null) {
      return existing.consumer.completion();
    }
    MessageConsumer<String> consumer = vertx.eventBus()
        .consumer(BusAddresses.user(userId.toString()), message -> receive(userId, message));
    streams.put(userId, new UserStream(consumer, new UserWindow(userId.toString(), significancePercent)));
    return consumer.completion();
  }

  /** Called when a user's last socket on this node closes. */
  Future<Void> detach(UUID userId) {
    UserStream stream = streams.remove(userId);
    if (stream == null) {
      return Future.succeededFuture();
    }
    vertx.cancelTimer(stream.timer);
    return stream.consumer.unregister();
  }

  int consumerCount() {
    return streams.size();
  }

  private void receive(UUID userId, Message<String> message) {
    UserStream stream = streams.get(userId);
    ServerEvent event = decode(userId, message.body());
    if (stream == null || event == null) {
      return;
    }
    Instant now = clock.instant();
    metrics.eventIn(event.type());
    if (event.type().channel().isEmpty() && event.type() != EventType.BATCH) {
      deliver(userId, new Flush(event, List.of(), 1), now);
      return;
    }
    boolean wasOpen = stream.window.isOpen();
    UserWindow.Result result = stream.window.offer(event, UserEventBus.meta(message.headers(), now), now);
    if (result.outcome() == UserWindow.Outcome.STALE) {
      metrics.dropped(event.type(), "stale_version");
    } else if (result.outcome() == UserWindow.Outcome.INSIGNIFICANT) {
      metrics.dropped(event.type(), "insignificant");
    }
    result.flush().ifPresent(flush -> deliver(userId, flush, now));
    if (result.outcome() == UserWindow.Outcome.URGENT) {
      vertx.setTimer(UserWindow.URGENT_LINGER_MS, id -> {
        if (streams.get(userId) == stream) {
          Instant at = clock.instant();
          stream.window.flushUrgent(at).ifPresent(flush -> deliver(userId, flush, at));
        }
      });
    }
    if (!wasOpen && stream.window.isOpen()) {
      schedule(userId, stream);
    }
  }

  private void schedule(UUID userId, UserStream stream) {
    stream.timer = vertx.setTimer(windowMs, id -> {
      if (streams.get(userId) != stream) {
        return;
      }
      Instant now = clock.instant();
      try {
        stream.window.tick(now).ifPresent(flush -> deliver(userId, flush, now));
      } finally {
        if (stream.window.isOpen()) {
          schedule(userId, stream);
        }
      }
    });
  }

  /** Hands the frame to each of the user's sockets; a socket that fails is closed, the others go on. */
  private void deliver(UUID userId, Flush flush, Instant now) {
    for (SocketConnection connection : registry.ofUser(userId)) {
      try {
        connection.deliver(flush.event());
      } catch (RuntimeException e) {
        LOG.warn("Delivery to socket {} of user {} failed, closing it: {}", connection.id(), userId, e.toString());
        closeQuietly(connection);
      }
    }
    metrics.frameOut(flush, now);
  }

  private static void closeQuietly(SocketConnection connection) {
    try {
      connection.close(CloseReason.INTERNAL_ERROR);
    } catch (RuntimeException e) {
      LOG.debug("Socket {} was already gone: {}", connection.id(), e.toString());
    }
  }

  private static ServerEvent decode(UUID userId, String body) {
    ServerEvent event;
    try {
      event = UserEventBus.decode(body);
    } catch (RuntimeException e) {
      LOG.warn("Dropped a malformed event on the address of user {}: {}", userId, e.getMessage());
      return null;
    }
    if (event.userId() != null && !event.userId().equals(userId.toString())) {
      LOG.error("Dropped an event for user {} published on the address of user {}", event.userId(), userId);
      return null;
    }
    return event;
  }
}
