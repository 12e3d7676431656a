package com.portfoliostream.events.protocol;

import java.util.Map;

/** A client message we refuse, and exactly why: becomes an {@code error} event. */
public record ProtocolError(ErrorCode code, String message, Map<String, Object> details) {

  public ProtocolError {
    details = details == null ? Map.of() : Map.copyOf(details);
  }

  public ErrorPayload toPayload() {
    return new ErrorPayload(code, message, details);
  }
}
