package com.portfoliostream.common.bus;

import com.portfoliostream.events.json.ServerEventCodec;
import com.portfoliostream.events.protocol.BusAddresses;
import com.portfoliostream.events.protocol.ServerEvent;
import io.vertx.core.Vertx;
import java.util.Objects;

/**
 * How user events travel on the event bus: the wire JSON of the event (without a sequence
 * number, which each socket assigns), published on the user's own address and nowhere else.
 */
public final class UserEventBus {

  private UserEventBus() {}

  /** Publishes to every node holding a socket of {@code event.userId()}. */
  public static void publish(Vertx vertx, ServerEvent event) {
    Objects.requireNonNull(event.userId(), "a user event names its user");
    vertx.eventBus().publish(BusAddresses.user(event.userId()), ServerEventCodec.encode(event));
  }

  public static ServerEvent decode(String body) {
    return ServerEventCodec.decode(body);
  }
}
