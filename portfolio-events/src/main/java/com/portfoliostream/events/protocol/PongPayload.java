package com.portfoliostream.events.protocol;

/** The empty {@code data} of a {@code pong}. */
public record PongPayload() implements EventPayload {}
