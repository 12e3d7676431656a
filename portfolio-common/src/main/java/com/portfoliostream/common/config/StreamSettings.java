package com.portfoliostream.common.config;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of the stream role's WebSocket edge; see {@link Setting} for each one. */
public record StreamSettings(
    boolean realtimeEnabled,
    int maxConnections,
    int maxConnectionsPerUser,
    List<String> allowedOrigins,
    int sessionTimeoutMinutes,
    int maxClientMessagesPerSecond,
    int heartbeatIntervalMs,
    int heartbeatTimeoutMs,
    String batchMode,
    int batchDeadlineMs,
    int batchWindowMs,
    BigDecimal significancePercent,
    Optional<Tls> tls) {

  /** PEM files of the certificate chain and its key. */
  public record Tls(Path certPath, Path keyPath) {}

  public StreamSettings {
    allowedOrigins = List.copyOf(allowedOrigins);
  }

  public Duration sessionTimeout() {
    return Duration.ofMinutes(sessionTimeoutMinutes);
  }
}
