package com.portfoliostream.common.bus;

import com.portfoliostream.events.json.ServerEventCodec;
import com.portfoliostream.events.protocol.BusAddresses;
import com.portfoliostream.events.protocol.ServerEvent;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.time.Instant;
import java.util.Objects;

/**
 * How user events travel on the event bus: the wire JSON of the event (without a sequence
 * number, which each socket assigns), published on the user's own address and nowhere else, with
 * two headers: the broker time of what caused it, and whether a fill caused it (the edge sends
 * those at once instead of waiting for the end of a batching window).
 */
public final class UserEventBus {

  public static final String BROKER_TIME_HEADER = "brokerTime";
  public static final String CAUSED_BY_FILL_HEADER = "fill";

  /** What the edge needs to know about an event beyond the event itself. */
  public record Meta(Instant brokerTime, boolean causedByFill) {

    public static Meta of(Instant brokerTime) {
      return new Meta(brokerTime, false);
    }

    public static Meta fill(Instant brokerTime) {
      return new Meta(brokerTime, true);
    }
  }

  private UserEventBus() {}

  /** Publishes to every node holding a socket of {@code event.userId()}. */
  public static void publish(Vertx vertx, ServerEvent event, Meta meta) {
    Objects.requireNonNull(event.userId(), "a user event names its user");
    DeliveryOptions options = new DeliveryOptions()
        .addHeader(BROKER_TIME_HEADER, Long.toString(meta.brokerTime().toEpochMilli()))
        .addHeader(CAUSED_BY_FILL_HEADER, Boolean.toString(meta.causedByFill()));
    vertx.eventBus().publish(BusAddresses.user(event.userId()), ServerEventCodec.encode(event), options);
  }

  public static ServerEvent decode(String body) {
    return ServerEventCodec.decode(body);
  }

  /** The meta of a received message; an event without headers counts as caused now, by no fill. */
  public static Meta meta(MultiMap headers, Instant now) {
    String brokerTime = headers.get(BROKER_TIME_HEADER);
    Instant time = now;
    if (brokerTime != null) {
      try {
        time = Instant.ofEpochMilli(Long.parseLong(brokerTime));
      } catch (NumberFormatException e) {
        time = now;
      }
    }
    return new Meta(time, Boolean.parseBoolean(headers.get(CAUSED_BY_FILL_HEADER)));
  }
}
