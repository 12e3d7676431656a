package com.portfoliostream.events.protocol;

import java.time.Instant;
import java.util.Objects;

/**
 * The envelope of every server message: {@code {type, timestamp, userId, seq, data}}. {@code seq}
 * is assigned per socket by the edge just before writing, so events on the bus carry none.
 */
public record ServerEvent(
    EventType type, Instant timestamp, String userId, Long seq, EventPayload data) {

  public ServerEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(data, "data");
    if (!type.payloadType().isInstance(data)) {
      throw new IllegalArgumentException(
          type.wire() + " carries " + type.payloadType().getSimpleName()
              + ", not " + data.getClass().getSimpleName());
    }
  }

  public ServerEvent withSeq(long newSeq) {
    return new ServerEvent(type, timestamp, userId, newSeq, data);
  }
}
