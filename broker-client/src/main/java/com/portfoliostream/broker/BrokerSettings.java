package com.portfoliostream.broker;

import com.portfoliostream.broker.rest.AlpacaCredentials;
import com.portfoliostream.common.config.BindAddresses;
import com.portfoliostream.common.config.ConfigException;
import com.portfoliostream.common.config.NodeConfig;
import com.portfoliostream.common.config.RawSettings;
import com.portfoliostream.common.config.Setting;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the broker is and how ingest talks to it. Empty URLs mean the built-in simulator of this
 * node at {@code SIM_BIND_HOST:SIM_PORT} (127.0.0.1 when that is the wildcard); pointing them at Alpaca paper or live changes nothing else.
 */
public record BrokerSettings(
    URI restUrl,
    URI tradingStreamUrl,
    URI marketDataUrl,
    Optional<AlpacaCredentials> marketDataCredentials,
    Duration reconcileInterval,
    Duration staleAfter) {

  public static BrokerSettings from(NodeConfig config) {
    RawSettings s = config.settings();
    String simulator = simulatorHost(config.simBindHost()) + ":" + config.simPort();
    URI rest = s.url(Setting.BROKER_API_URL).orElse(URI.create("http://" + simulator));
    URI stream = s.url(Setting.BROKER_STREAM_URL).orElse(URI.create("ws://" + simulator + "/stream"));
    URI data = s.url(Setting.MARKET_DATA_URL).orElse(URI.create("ws://" + simulator + "/v2/iex"));
    Optional<String> key = s.optional(Setting.MARKET_DATA_KEY_ID);
    Optional<String> secret = s.optional(Setting.MARKET_DATA_SECRET);
    if (key.isPresent() != secret.isPresent()) {
      throw new ConfigException("MARKET_DATA_KEY_ID and MARKET_DATA_SECRET go together: set both or neither");
    }
    int reconcileSeconds = s.integer(Setting.RECONCILE_INTERVAL_SECONDS);
    int staleSeconds = s.integer(Setting.MARKET_DATA_STALE_SECONDS);
    return new BrokerSettings(rest, stream, data, key.map(k -> new AlpacaCredentials(k, secret.get())),
        Duration.ofSeconds(reconcileSeconds), Duration.ofSeconds(staleSeconds));
  }

  /** Where this node reaches its own simulator: the address it binds, loopback for the wildcard. */
  private static String simulatorHost(String bindHost) {
    if (BindAddresses.isWildcard(bindHost)) {
      return "127.0.0.1";
    }
    return bindHost.contains(":") ? "[" + bindHost + "]" : bindHost;
  }
}
