package com.portfoliostream.events.protocol;

import com.portfoliostream.events.model.Channel;
import java.util.List;
import java.util.Map;

/**
 * The {@code data} of an {@code info}. For SUBSCRIBED and UNSUBSCRIBED it carries the socket's
 * channels and symbols after the change ({@code symbols} absent means every symbol).
 */
public record InfoPayload(
    InfoCode code, String message, List<Channel> channels, List<String> symbols,
    Map<String, Object> details)
    implements EventPayload {

  public InfoPayload {
    channels = channels == null ? null : List.copyOf(channels);
    symbols = symbols == null ? null : List.copyOf(symbols);
    details = details == null ? null : Map.copyOf(details);
  }
}
