package com.portfoliostream.common.config;

import java.time.Duration;
import java.util.List;

/** Settings of the stream role's WebSocket edge; see {@link Setting} for each one. */
public record StreamSettings(
    boolean realtimeEnabled,
    int maxConnections,
    int maxConnectionsPerUser,
    List<String> allowedOrigins,
    int sessionTimeoutMinutes,
    int maxClientMessagesPerSecond,
    int heartbeatIntervalMs,
    int heartbeatTimeoutMs) {

  public StreamSettings {
    allowedOrigins = List.copyOf(allowedOrigins);
  }

  public Duration sessionTimeout() {
    return Duration.ofMinutes(sessionTimeoutMinutes);
  }
}
