package com.portfoliostream.ingest.market;

import com.portfoliostream.broker.Backoff;
import com.portfoliostream.broker.alpaca.AlpacaCodec;
import com.portfoliostream.broker.alpaca.AlpacaProtocolException;
import com.portfoliostream.broker.alpaca.MarketDataMessage;
import com.portfoliostream.broker.rest.AlpacaCredentials;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's one Alpaca market-data connection (Alpaca allows one per account: a second gets
 * 406). Subscribes to trades of the wanted symbols and follows the set as it changes; reconnects
 * with backoff (406 included: the other connection may be a dying node's); refused credentials
 * (402), v2 not enabled (408) and a feed beyond the key's subscription (409) stop it for good and say so.
 */
public final class MarketDataSession {

  private static final Logger LOG = LoggerFactory.getLogger(MarketDataSession.class);
  private static final int AUTH_FAILED = 402;
  /** What no retry mends: refused credentials, v2 streaming not enabled, a feed beyond the subscription. */
  private static final java.util.Set<Integer> TERMINAL = java.util.Set.of(AUTH_FAILED, 408, 409);
  private static final int CONNECTION_LIMIT = 406;

  private final Vertx vertx;
  private final WebSocketClient client;
  private final URI url;
  private final AlpacaCredentials credentials;
  private final Consumer<MarketDataMessage.TradeTick> ticks;
  private final Runnable poisoned;
  private final Backoff backoff = Backoff.reconnect(() -> ThreadLocalRandom.current().nextDouble());
  private final Set<String> wanted = new TreeSet<>();
  private final Set<String> subscribed = new TreeSet<>();
  private WebSocket socket;
  private boolean authenticated;
  private boolean stopped;

  public MarketDataSession(Vertx vertx, WebSocketClient client, URI url, AlpacaCredentials credentials,
      Consumer<MarketDataMessage.TradeTick> ticks, Runnable poisoned) {
    this.vertx = vertx;
    this.client = client;
    this.url = url;
    this.credentials = credentials;
    this.ticks = ticks;
    this.poisoned = poisoned;
  }

  public void start() {
    stopped = false;
    connect();
  }

  public void stop() {
    stopped = true;
    if (socket != null) {
      socket.close();
    }
  }

  /** The symbols to follow from now on; only the difference is sent. */
  public void follow(Set<String> symbols) {
    wanted.clear();
    wanted.addAll(symbols);
    sync();
  }

  public Set<String> subscribed() {
    return Set.copyOf(subscribed);
  }

  private void connect() {
    if (stopped) {
      return;
    }
    client.connect(new WebSocketConnectOptions().setAbsoluteURI(url.toString()))
        .onSuccess(this::opened)
        .onFailure(e -> retry("connect failed: " + e.getMessage()));
  }

  private void opened(WebSocket ws) {
    socket = ws;
    authenticated = false;
    subscribed.clear();
    ws.textMessageHandler(text -> received(ws, text));
    ws.binaryMessageHandler(buffer -> received(ws, buffer.toString()));
    ws.closeHandler(v -> closed(ws));
    ws.exceptionHandler(e -> LOG.warn("Market data: {}", e.getMessage()));
  }

  private void received(WebSocket ws, String json) {
    List<MarketDataMessage> messages;
    try {
      messages = AlpacaCodec.parseMarketData(json);
    } catch (AlpacaProtocolException e) {
      // The codec's reason names the field and never repeats a value; the frame itself is not logged.
      LOG.warn("Market data: unreadable frame dropped ({})", e.getMessage());
      poisoned.run();
      return;
    }
    for (MarketDataMessage message : messages) {
      if (message instanceof MarketDataMessage.TradeTick tick) {
        ticks.accept(tick);
      } else if (message instanceof MarketDataMessage.Success success) {
        success(ws, success);
      } else if (message instanceof MarketDataMessage.Subscription subscription) {
        subscribed.clear();
        subscribed.addAll(subscription.trades());
        sync();
      } else if (message instanceof MarketDataMessage.Error error) {
        error(ws, error);
      }
    }
  }

  private void success(WebSocket ws, MarketDataMessage.Success success) {
    if ("connected".equals(success.msg())) {
      ws.writeTextMessage(AlpacaCodec.marketDataAuth(credentials.keyId(), credentials.secret()));
    } else if ("authenticated".equals(success.msg())) {
      authenticated = true;
      backoff.reset();
      LOG.info("Market data connected to {}", url);
      sync();
    }
  }

  private void error(WebSocket ws, MarketDataMessage.Error error) {
    if (TERMINAL.contains(error.code())) {
      LOG.error("Market data at {}: the broker refused key {} ({} {}); not retrying until it is fixed", url,
          credentials.keyId(), error.code(), error.msg());
      stopped = true;
      ws.close();
      return;
    }
    if (error.code() == CONNECTION_LIMIT) {
      LOG.warn("Market data: {} (406); another connection holds this key, retrying", error.msg());
      ws.close();
      return;
    }
    LOG.warn("Market data error {}: {}", error.code(), error.msg());
  }

  private void sync() {
    if (socket == null || !authenticated) {
      return;
    }
    List<String> add = new ArrayList<>(wanted);
    add.removeAll(subscribed);
    List<String> remove = new ArrayList<>(subscribed);
    remove.removeAll(wanted);
    if (!add.isEmpty()) {
      socket.writeTextMessage(AlpacaCodec.subscribe(add, List.of(), List.of()));
    }
    if (!remove.isEmpty()) {
      socket.writeTextMessage(AlpacaCodec.unsubscribe(remove, List.of(), List.of()));
    }
    subscribed.addAll(add);
    subscribed.removeAll(remove);
  }

  private void closed(WebSocket ws) {
    if (socket == ws) {
      socket = null;
      authenticated = false;
    }
    retry("connection closed" + (ws.closeStatusCode() == null ? "" : " (" + ws.closeStatusCode() + ")"));
  }

  private void retry(String why) {
    if (stopped) {
      return;
    }
    Duration delay = backoff.next();
    LOG.warn("Market data: {}; reconnecting in {} ms", why, delay.toMillis());
    vertx.setTimer(delay.toMillis(), id -> connect());
  }
}
