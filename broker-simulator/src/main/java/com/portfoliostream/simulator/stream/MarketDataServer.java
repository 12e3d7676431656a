package com.portfoliostream.simulator.stream;

import com.portfoliostream.simulator.SimulatorSettings;
import com.portfoliostream.simulator.alpaca.ApiKeyHeaders;
import com.portfoliostream.simulator.market.Account;
import com.portfoliostream.simulator.market.MarketPoint;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Alpaca's market-data stream at {@code /v2/{feed}} (TEXT frames): {@code connected} on connect,
 * {@code auth} (or the key headers on the upgrade) → {@code authenticated} (or 402), subscribe/unsubscribe answered with the full
 * subscription, then trades, quotes and minute bars batched in arrays. One authenticated
 * connection per key: a second one gets 406 and is closed. Errors 400-407 as Alpaca sends them.
 */
public final class MarketDataServer {

  public static final List<String> FEEDS = List.of("iex", "sip", "test");
  private static final String SIP = "sip";
  private static final String CONNECTED = "[{\"T\":\"success\",\"msg\":\"connected\"}]";
  private static final String AUTHENTICATED = "[{\"T\":\"success\",\"msg\":\"authenticated\"}]";

  private final Vertx vertx;
  private final SimulatorSettings settings;
  private final Function<String, Optional<Account>> accounts;
  private final Set<MarketDataConnection> connections = new LinkedHashSet<>();
  private final Map<String, MarketDataConnection> byKey = new HashMap<>();
  private final MinuteBars bars = new MinuteBars();
  private boolean paused;

  public MarketDataServer(Vertx vertx, SimulatorSettings settings, Function<String, Optional<Account>> accounts) {
    this.vertx = vertx;
    this.settings = settings;
    this.accounts = accounts;
  }

  /** Publishes the minute bars every bar interval; returns the timer id. */
  public long startBars() {
    return vertx.setPeriodic(settings.barIntervalMs(), id -> publish(bars.drain(), "bars"));
  }

  public void accept(ServerWebSocket socket) {
    MarketDataConnection connection = new MarketDataConnection(socket, settings.maxQueuedPoints());
    connections.add(connection);
    socket.closeHandler(v -> forget(connection));
    socket.handler(frame -> onMessage(connection, frame));
    connection.authTimer = vertx.setTimer(settings.authTimeoutMs(), id -> {
      if (connection.keyId == null) {
        fail(connection, MarketDataError.AUTH_TIMEOUT, true);
      }
    });
    connection.send(CONNECTED);
    String headerKey = socket.headers().get(ApiKeyHeaders.KEY_ID);
    if (headerKey != null) {
      authenticate(connection, headerKey, socket.headers().get(ApiKeyHeaders.SECRET_KEY));
    }
  }

  /** While paused no data points go out (connections stay up), as when a feed goes quiet. */
  public void pause(boolean pausedNow) {
    this.paused = pausedNow;
  }

  public void prices(List<MarketPoint> points) {
    points.forEach(bars::add);
    if (paused) {
      return;
    }
    for (MarketDataConnection connection : List.copyOf(connections)) {
      JsonArray batch = new JsonArray();
      for (MarketPoint point : points) {
        if (connection.wants("trades", point.symbol())) {
          batch.add(MarketDataJson.trade(point));
        }
        if (connection.wants("quotes", point.symbol())) {
          batch.add(MarketDataJson.quote(point));
        }
      }
      deliver(connection, batch);
    }
  }

  /** Cuts every market-data connection without a close frame. */
  public void dropAll() {
    List.copyOf(connections).forEach(c -> {
      Sockets.cut(c.socket);
      forget(c);
    });
  }

  private void publish(List<JsonObject> points, String channel) {
    if (paused || points.isEmpty()) {
      return;
    }
    for (MarketDataConnection connection : List.copyOf(connections)) {
      JsonArray batch = new JsonArray();
      points.stream().filter(p -> connection.wants(channel, p.getString("S"))).forEach(batch::add);
      deliver(connection, batch);
    }
  }

  private void deliver(MarketDataConnection connection, JsonArray batch) {
    if (!batch.isEmpty() && connection.keyId != null && !connection.enqueue(batch)) {
      fail(connection, MarketDataError.SLOW_CLIENT, true);
    }
  }

  private void onMessage(MarketDataConnection connection, Buffer frame) {
    if (!(Sockets.parse(frame) instanceof JsonObject message) || !(message.getValue("action") instanceof String action)) {
      fail(connection, MarketDataError.INVALID_SYNTAX, false);
      return;
    }
    switch (action) {
      case "auth" -> authenticate(connection, message.getValue("key") instanceof String k ? k : "",
          message.getValue("secret") instanceof String s ? s : null);
      case "subscribe", "unsubscribe" -> subscribe(connection, message, action.equals("subscribe"));
      default -> fail(connection, MarketDataError.INVALID_SYNTAX, false);
    }
  }

  private void authenticate(MarketDataConnection connection, String key, String secret) {
    if (connection.keyId != null) {
      fail(connection, MarketDataError.ALREADY_AUTHENTICATED, false);
      return;
    }
    Optional<Account> account = accounts.apply(key).filter(a -> a.secretMatches(secret));
    if (account.isEmpty()) {
      fail(connection, MarketDataError.AUTH_FAILED, false);
      return;
    }
    if (SIP.equals(feedOf(connection)) && !account.get().sipSubscription()) {
      fail(connection, MarketDataError.INSUFFICIENT_SUBSCRIPTION, true);
      return;
    }
    if (byKey.containsKey(key)) {
      fail(connection, MarketDataError.CONNECTION_LIMIT_EXCEEDED, true);
      return;
    }
    vertx.cancelTimer(connection.authTimer);
    connection.keyId = key;
    byKey.put(key, connection);
    connection.send(AUTHENTICATED);
  }

  private void subscribe(MarketDataConnection connection, JsonObject message, boolean subscribe) {
    if (connection.keyId == null) {
      fail(connection, MarketDataError.NOT_AUTHENTICATED, false);
    } else if (!MarketDataConnection.wellFormed(message)) {
      fail(connection, MarketDataError.INVALID_SYNTAX, false);
    } else if (!connection.change(message, subscribe, settings.maxSymbols())) {
      fail(connection, MarketDataError.SYMBOL_LIMIT_EXCEEDED, false);
    } else {
      connection.send(connection.subscriptionFrame());
    }
  }

  /** The feed of the connection's path, {@code /v2/{feed}}. */
  private static String feedOf(MarketDataConnection connection) {
    String path = connection.socket.path();
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private void fail(MarketDataConnection connection, MarketDataError error, boolean close) {
    if (connection.closed) {
      return;
    }
    connection.send(error.frame());
    if (close) {
      forget(connection);
      connection.socket.close();
    }
  }

  private void forget(MarketDataConnection connection) {
    connection.closed = true;
    vertx.cancelTimer(connection.authTimer);
    connections.remove(connection);
    if (connection.keyId != null) {
      byKey.remove(connection.keyId, connection);
    }
  }
}
