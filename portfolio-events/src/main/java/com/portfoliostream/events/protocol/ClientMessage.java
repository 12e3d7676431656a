package com.portfoliostream.events.protocol;

import com.portfoliostream.events.model.Channel;
import java.util.Optional;
import java.util.Set;

/** What a client may send on the portfolio socket. */
public sealed interface ClientMessage {

  /** Add channels (and optionally narrow to symbols; absent means every symbol). */
  record Subscribe(Set<Channel> channels, Optional<Set<String>> symbols) implements ClientMessage {
    public Subscribe {
      channels = Set.copyOf(channels);
      symbols = symbols.map(Set::copyOf);
    }
  }

  /** Remove channels; with symbols, stop those symbols without leaving the channels. */
  record Unsubscribe(Set<Channel> channels, Optional<Set<String>> symbols) implements ClientMessage {
    public Unsubscribe {
      channels = Set.copyOf(channels);
      symbols = symbols.map(Set::copyOf);
    }
  }

  /** Application-level heartbeat; answered with {@code pong}. */
  record Ping() implements ClientMessage {}
}
