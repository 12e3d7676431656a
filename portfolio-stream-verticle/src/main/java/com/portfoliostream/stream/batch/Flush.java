package com.portfoliostream.stream.batch;

import com.portfoliostream.events.protocol.ServerEvent;
import java.util.List;

/** One frame for a user's sockets: the event, the broker times of what it holds, and how many events it replaces. */
public record Flush(ServerEvent event, List<PendingFrame.Stamp> stamps, int eventsIn) {}
