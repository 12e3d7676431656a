package com.portfoliostream.benchmarks;

import com.portfoliostream.common.bus.UserEventBus;
import com.portfoliostream.events.protocol.ServerEvent;
import io.vertx.core.Vertx;
import java.time.Instant;

/** Where a benchmark's load goes: the server under test's way of taking broker events. */
interface EventSink {

  /** Sends one user event; {@code causedByFill} events are sent on at once, not batched. */
  void publish(ServerEvent event, boolean causedByFill);

  /** The end of one tick of the load: whatever was buffered goes out. */
  default void flush() {}

  /** Our own nodes' way: the clustered event bus, on the user's address, from another member. */
  static EventSink bus(Vertx member) {
    return (event, fill) -> UserEventBus.publish(member, event,
        fill ? UserEventBus.Meta.fill(Instant.now()) : UserEventBus.Meta.of(Instant.now()));
  }
}
