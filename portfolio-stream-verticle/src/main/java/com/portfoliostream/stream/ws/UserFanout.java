package com.portfoliostream.stream.ws;

import com.portfoliostream.common.bus.UserEventBus;
import com.portfoliostream.events.protocol.BusAddresses;
import com.portfoliostream.events.protocol.ServerEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds exactly one clustered consumer per user with at least one socket on this node (never one
 * per socket: cluster-wide registrations per socket do not scale), and hands each event to that
 * user's sockets, each filtering by its own subscription.
 */
final class UserFanout {

  private static final Logger LOG = LoggerFactory.getLogger(UserFanout.class);

  private final Vertx vertx;
  private final ConnectionRegistry registry;
  private final Map<UUID, MessageConsumer<String>> consumers = new HashMap<>();

  UserFanout(Vertx vertx, ConnectionRegistry registry) {
    this.vertx = vertx;
    this.registry = registry;
  }

  /** Called when a user's first socket on this node opens; completes once registered cluster-wide. */
  Future<Void> attach(UUID userId) {
    MessageConsumer<String> existing = consumers.get(userId);
    if (existing != null) {
      return existing.completion();
    }
    MessageConsumer<String> consumer = vertx.eventBus()
        .consumer(BusAddresses.user(userId.toString()), message -> deliver(userId, message));
    consumers.put(userId, consumer);
    return consumer.completion();
  }

  /** Called when a user's last socket on this node closes. */
  Future<Void> detach(UUID userId) {
    MessageConsumer<String> consumer = consumers.remove(userId);
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  int consumerCount() {
    return consumers.size();
  }

  private void deliver(UUID userId, Message<String> message) {
    ServerEvent event;
    try {
      event = UserEventBus.decode(message.body());
    } catch (RuntimeException e) {
      LOG.warn("Dropped a malformed event on the address of user {}: {}", userId, e.getMessage());
      return;
    }
    if (event.userId() != null && !event.userId().equals(userId.toString())) {
      LOG.error("Dropped an event for user {} published on the address of user {}", event.userId(), userId);
      return;
    }
    for (SocketConnection connection : registry.ofUser(userId)) {
      connection.deliver(event);
    }
  }
}
