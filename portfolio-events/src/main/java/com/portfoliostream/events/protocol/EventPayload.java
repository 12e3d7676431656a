package com.portfoliostream.events.protocol;

/** The {@code data} of a server event. Each {@link EventType} names the one record it carries. */
public interface EventPayload {}
