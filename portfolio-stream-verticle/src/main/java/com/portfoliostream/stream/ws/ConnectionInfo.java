package com.portfoliostream.stream.ws;

import com.portfoliostream.events.model.Channel;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** What the registry tells about one open socket (for the admin stats). */
public record ConnectionInfo(
    String socketId, UUID userId, Instant openedAt, Set<Channel> channels, Set<String> symbols,
    long messagesIn, long messagesOut) {}
