package com.portfoliostream.ingest.stream;

import com.portfoliostream.broker.Backoff;
import com.portfoliostream.broker.accounts.BrokerAccount;
import com.portfoliostream.broker.alpaca.AlpacaCodec;
import com.portfoliostream.broker.alpaca.AlpacaProtocolException;
import com.portfoliostream.broker.alpaca.TradingStreamMessage;
import com.portfoliostream.broker.alpaca.TradingStreamMessage.TradeUpdate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One account's Alpaca trading stream: connect, authenticate, listen to {@code trade_updates},
 * and after every connect backfill over REST what was missed. Every event, streamed or
 * backfilled, goes through one queue per account, in order, so fills apply one at a time. The
 * queue is bounded: when it overflows the connection is dropped and the next connect's backfill
 * fetches what was not applied. Once stopped, nothing still queued is applied. Reconnects back off
 * from 1 s to 30 s; refused credentials stop the session for good and say so.
 */
public final class TradingStreamSession {

  private static final Logger LOG = LoggerFactory.getLogger(TradingStreamSession.class);
  static final int MAX_QUEUED = 10_000;
  private static final Duration AUTH_TIMEOUT = Duration.ofSeconds(10);

  private final Vertx vertx;
  private final WebSocketClient client;
  private final BrokerAccount account;
  private final URI url;
  private final Function<TradeUpdate, Future<?>> apply;
  private final Function<BrokerAccount, Future<Integer>> backfill;
  private final Consumer<StreamState> stateListener;
  private final Runnable poisoned;
  private final Backoff backoff = Backoff.reconnect(() -> ThreadLocalRandom.current().nextDouble());
  private Future<?> tail = Future.succeededFuture();
  private int queued;
  private WebSocket socket;
  private long authTimer = -1;
  private StreamState state = StreamState.STOPPED;
  private boolean stopped;

  public TradingStreamSession(Vertx vertx, WebSocketClient client, BrokerAccount account, URI url,
      Function<TradeUpdate, Future<?>> apply, Function<BrokerAccount, Future<Integer>> backfill,
      Consumer<StreamState> stateListener, Runnable poisoned) {
    this.vertx = vertx;
    this.client = client;
    this.account = account;
    this.url = url;
    this.apply = apply;
    this.backfill = backfill;
    this.stateListener = stateListener;
    this.poisoned = poisoned;
  }

  public void start() {
    stopped = false;
    connect();
  }

  public void stop() {
    stopped = true;
    state(StreamState.STOPPED);
    if (socket != null) {
      socket.close();
    }
  }

  /** Runs {@code work} in this account's queue, with no stream event being applied meanwhile. */
  public void runExclusive(java.util.function.Supplier<Future<?>> work) {
    if (socket != null) {
      enqueue(socket, work);
    }
  }

  public StreamState state() {
    return state;
  }

  private void connect() {
    if (stopped) {
      return;
    }
    state(StreamState.CONNECTING);
    client.connect(new WebSocketConnectOptions().setAbsoluteURI(url.toString()))
        .onSuccess(this::opened)
        .onFailure(e -> retry("connect failed: " + e.getMessage()));
  }

  private void opened(WebSocket ws) {
    if (stopped) {
      ws.close();
      return;
    }
    socket = ws;
    ws.binaryMessageHandler(buffer -> received(ws, buffer.toString()));
    ws.textMessageHandler(text -> received(ws, text));
    ws.exceptionHandler(e -> LOG.warn("Trading stream of account {}: {}", account.id(), e.getMessage()));
    ws.closeHandler(v -> closed(ws));
    authTimer = vertx.setTimer(AUTH_TIMEOUT.toMillis(), id -> {
      LOG.warn("Trading stream of account {}: no authorization within {} s", account.id(), AUTH_TIMEOUT.toSeconds());
      ws.close();
    });
    ws.writeTextMessage(AlpacaCodec.authenticate(account.credentials().keyId(), account.credentials().secret()));
  }

  private void received(WebSocket ws, String json) {
    TradingStreamMessage message;
    try {
      message = AlpacaCodec.parseTradingStream(json);
    } catch (AlpacaProtocolException e) {
      // The codec's reason names the field and never repeats a value; the message itself is not logged.
      LOG.warn("Trading stream of account {}: unreadable message dropped ({})", account.id(), e.getMessage());
      poisoned.run();
      return;
    }
    if (message instanceof TradingStreamMessage.Authorization auth) {
      authorization(ws, auth);
    } else if (message instanceof TradingStreamMessage.Listening listening) {
      listening(listening);
    } else if (message instanceof TradeUpdate update) {
      enqueue(ws, () -> apply.apply(update));
    }
  }

  private void authorization(WebSocket ws, TradingStreamMessage.Authorization auth) {
    vertx.cancelTimer(authTimer);
    if (auth.authorized()) {
      ws.writeTextMessage(AlpacaCodec.listenTradeUpdates());
      return;
    }
    LOG.error("Trading stream of account {} (key {}): the broker refused the credentials ({}); not retrying "
        + "until the account's key is fixed", account.id(), account.credentials().keyId(), auth.action());
    stopped = true;
    state(StreamState.AUTH_FAILED);
    ws.close();
  }

  private void listening(TradingStreamMessage.Listening listening) {
    if (!listening.streams().contains("trade_updates")) {
      LOG.warn("Trading stream of account {}: listening to {} without trade_updates", account.id(), listening.streams());
      return;
    }
    backoff.reset();
    state(StreamState.LISTENING);
    WebSocket ws = socket;
    enqueue(ws, () -> backfill.apply(account)
        .onSuccess(n -> LOG.info("Trading stream of account {} listening; backfill handed over {} events",
            account.id(), n))
        .onFailure(e -> {
          if (!stopped) {
            LOG.warn("Backfill of account {} failed ({}); reconnecting to try again", account.id(), e.getMessage());
            ws.close();
          }
        }));
  }

  /** Runs {@code work} after everything queued before it; drops the connection when the queue is full. */
  private void enqueue(WebSocket ws, java.util.function.Supplier<Future<?>> work) {
    if (queued >= MAX_QUEUED) {
      LOG.warn("Trading stream of account {}: {} events waiting; dropping the connection, the backfill "
          + "after the reconnect fetches what was not applied", account.id(), queued);
      ws.close();
      return;
    }
    queued++;
    // Once stopped (the lease given up or lost) nothing queued is applied: it is the next holder's.
    tail = tail.transform(previous -> stopped ? Future.succeededFuture() : work.get()).transform(done -> {
      queued--;
      if (done.failed() && !stopped) {
        LOG.warn("Account {}: an event could not be applied ({}); reconnecting so the backfill fetches it again",
            account.id(), done.cause().getMessage());
        ws.close();
      }
      return Future.succeededFuture();
    });
  }

  private void closed(WebSocket ws) {
    vertx.cancelTimer(authTimer);
    if (socket == ws) {
      socket = null;
    }
    if (!stopped) {
      retry("connection closed" + (ws.closeStatusCode() == null ? "" : " (" + ws.closeStatusCode() + ")"));
    }
  }

  private void retry(String why) {
    if (stopped) {
      return;
    }
    state(StreamState.RECONNECTING);
    Duration delay = backoff.next();
    LOG.warn("Trading stream of account {}: {}; reconnecting in {} ms (attempt {})", account.id(), why,
        delay.toMillis(), backoff.attempts());
    vertx.setTimer(delay.toMillis(), id -> connect());
  }

  private void state(StreamState next) {
    state = next;
    stateListener.accept(next);
  }
}
