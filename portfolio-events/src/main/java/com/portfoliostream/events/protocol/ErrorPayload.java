package com.portfoliostream.events.protocol;

import java.util.Map;

/** The {@code data} of an {@code error}: a code, a sentence for people, and what exactly was wrong. */
public record ErrorPayload(ErrorCode code, String message, Map<String, Object> details)
    implements EventPayload {

  public ErrorPayload {
    details = details == null ? null : Map.copyOf(details);
  }
}
