package com.portfoliostream.stream.ws;

import com.portfoliostream.common.bus.UserEventBus;
import com.portfoliostream.events.protocol.BusAddresses;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batching stage of the edge, run by the {@link BatchingVerticle} on its own event loop. For
 * each user with at least one socket on this node it holds exactly one clustered consumer (never
 * one per socket: cluster-wide registrations per socket do not scale) and one {@link UserWindow};
 * each frame the window lets out is handed to every socket of that user on the loop serving it,
 * each filtering by its own subscription. Sockets are counted per user: the consumer goes when the
 * user's last socket on the node does.
 */
final class UserFanout {

  private static final Logger LOG = LoggerFactory.getLogger(UserFanout.class);

  /** One user's consumer, window, and the one timer that runs the window's next flush. */
  private static final class UserStream {
    final MessageConsumer<String> consumer;
    final UserWindow window;
    long timer = -1;
    long timerAt = Long.MAX_VALUE;
    int sockets = 1;

    UserStream(MessageConsumer<String> consumer, UserWindow window) {
      this.consumer = consumer;
      this.window = window;
    }
  }

  private final Vertx vertx;
  private final ConnectionRegistry registry;
  private final EdgeMetrics metrics;
  private final Clock clock;
  private final UserWindow.Pacing pacing;
  private final java.math.BigDecimal significancePercent;
  /** Changed on the batching loop only; concurrent so that the admin stats can count it. */
  private final Map<UUID, UserStream> streams = new ConcurrentHashMap<>();

  UserFanout(Vertx vertx, ConnectionRegistry registry, EdgeMetrics metrics, Clock clock, UserWindow.Pacing pacing,
      java.math.BigDecimal significancePercent) {
    this.significancePercent = significancePercent;
    this.vertx = vertx;
    this.registry = registry;
    this.metrics = metrics;
    this.clock = clock;
    this.pacing = pacing;
  }

  /**
   * Called for each socket of the user that opens on this node; completes once the user's consumer
   * is registered cluster-wide.
   */
  Future<Void> attach(UUID userId) {
    UserStream existing = streams.get(userId);
    if (existing != null) {
      existing.sockets++;
      return existing.consumer.completion();
    }
    MessageConsumer<String> consumer = vertx.eventBus()
        .consumer(BusAddresses.user(userId.toString()), message -> receive(userId, message));
    streams.put(userId, new UserStream(consumer, new UserWindow(userId.toString(), significancePercent, pacing)));
    return consumer.completion();
  }

  /** Called for each socket of the user that closes; the user's last one ends the consumer. */
  Future<Void> detach(UUID userId) {
    UserStream stream = streams.get(userId);
    if (stream == null || --stream.sockets > 0) {
      return Future.succeededFuture();
    }
    streams.remove(userId);
    vertx.cancelTimer(stream.timer);
    return stream.consumer.unregister();
  }

  /** Ends every user's consumer (the edge stops). */
  Future<Void> detachAll() {
    List<Future<Void>> unregistered = streams.values().stream().map(stream -> {
      vertx.cancelTimer(stream.timer);
      return stream.consumer.unregister();
    }).toList();
    streams.clear();
    return Future.join(unregistered).mapEmpty();
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
      deliver(userId, new Flush(event, List.of(), 1));
      return;
    }
    UserWindow.Result result = stream.window.offer(event, UserEventBus.meta(message.headers(), now), now);
    if (result.outcome() == UserWindow.Outcome.STALE) {
      metrics.dropped(event.type(), "stale_version");
    } else if (result.outcome() == UserWindow.Outcome.INSIGNIFICANT) {
      metrics.dropped(event.type(), "insignificant");
    }
    result.flush().ifPresent(flush -> deliver(userId, flush));
    schedule(userId, stream);
  }

  /** Keeps the user's one timer at the window's next due time: set, moved earlier, or left. */
  private void schedule(UUID userId, UserStream stream) {
    var due = stream.window.dueAt();
    if (due.isEmpty() || (stream.timer != -1 && stream.timerAt <= due.getAsLong())) {
      return;
    }
    if (stream.timer != -1) {
      vertx.cancelTimer(stream.timer);
    }
    long at = due.getAsLong();
    stream.timerAt = at;
    stream.timer = vertx.setTimer(Math.max(1, at - clock.millis()), id -> {
      stream.timer = -1;
      stream.timerAt = Long.MAX_VALUE;
      if (streams.get(userId) != stream) {
        return;
      }
      Instant fired = clock.instant();
      try {
        stream.window.flushDue(fired).ifPresent(flush -> deliver(userId, flush));
      } finally {
        schedule(userId, stream);
      }
    });
  }

  /**
   * Hands the frame to each of the user's sockets, on the loops serving them; a socket that fails
   * there is closed, the others go on.
   */
  private void deliver(UUID userId, Flush flush) {
    SharedFrame frame = new SharedFrame(flush, metrics);
    for (SocketConnection connection : registry.ofUser(userId)) {
      connection.deliverFromAnyLoop(frame);
    }
    metrics.frameOut(flush);
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
