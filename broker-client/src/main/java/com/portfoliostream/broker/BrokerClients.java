package com.portfoliostream.broker;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;

/**
 * The HTTP and WebSocket clients this service opens towards the broker, configured in one place:
 * the REST client's ({@code AlpacaRestClient}) and the trading and market-data streams'.
 */
public final class BrokerClients {

  /** How we introduce ourselves to the broker's REST API. */
  public static final String USER_AGENT = "portfolio-stream";
  /** Longest a stream's WebSocket handshake may take before the reconnect backoff takes over. */
  public static final Duration STREAM_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** Largest stream message accepted (a market-data frame batches many trades): 1 MiB. */
  public static final int MAX_STREAM_MESSAGE_BYTES = 1 << 20;

  private BrokerClients() {}

  /** One WebSocket client for the broker's streams; the caller closes it. */
  public static WebSocketClient streams(Vertx vertx) {
    return vertx.createWebSocketClient(new WebSocketClientOptions()
        .setConnectTimeout(millis(STREAM_CONNECT_TIMEOUT))
        .setMaxMessageSize(MAX_STREAM_MESSAGE_BYTES));
  }

  /** One HTTP client for the broker's REST API, connecting within {@code connectTimeout}; the caller closes it. */
  public static WebClient rest(Vertx vertx, Duration connectTimeout) {
    return WebClient.create(vertx, new WebClientOptions()
        .setUserAgent(USER_AGENT)
        .setConnectTimeout(millis(connectTimeout)));
  }

  private static int millis(Duration duration) {
    return (int) Math.min(duration.toMillis(), Integer.MAX_VALUE);
  }
}
