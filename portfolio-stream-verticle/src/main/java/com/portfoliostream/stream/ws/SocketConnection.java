package com.portfoliostream.stream.ws;

import com.portfoliostream.events.model.Channel;
import com.portfoliostream.events.protocol.ClientMessage;
import com.portfoliostream.events.protocol.ClientMessageParser;
import com.portfoliostream.events.protocol.CloseReason;
import com.portfoliostream.events.protocol.ErrorCode;
import com.portfoliostream.events.protocol.InfoCode;
import com.portfoliostream.events.protocol.ParseResult;
import com.portfoliostream.events.protocol.ProtocolError;
import com.portfoliostream.events.protocol.ServerEvent;
import com.portfoliostream.events.protocol.ServerEvents;
import com.portfoliostream.stream.StreamVerticle;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.http.ServerWebSocket;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open portfolio socket: the client's messages (rate limited), its subscription, its
 * heartbeat and its close. What goes out passes the {@link OutboundQueue} (slow-consumer policy)
 * to the {@link FrameWriter} (sequence numbers). Runs on the event loop of the socket (the one
 * it was created on); the batching stage, on its own loop, hands frames over with
 * {@link #deliverFromAnyLoop}. Nothing here blocks.
 */
final class SocketConnection {

  private static final Logger LOG = LoggerFactory.getLogger(SocketConnection.class);
  /** How long a close frame may wait behind a full queue before the connection is cut. */
  static final long ABORT_AFTER_MS = 2_000;
  /** How long the connection stays after the close frame that answers a protocol violation. */
  static final long PROTOCOL_ERROR_LINGER_MS = 500;

  private final String id = UUID.randomUUID().toString();
  private final ServerWebSocket socket;
  private final Context context;
  private final UUID userId;
  private final String sessionHash;
  private final Clock clock;
  private final RateLimiter rateLimiter;
  private final Subscription subscription = new Subscription();
  private final Instant openedAt;
  private final AtomicLong messagesIn = new AtomicLong();
  private final FrameWriter writer;
  private final OutboundQueue outbound;
  private volatile long lastHeardMs;
  private volatile CloseReason closeReason;
  private BiFunction<SocketConnection, ClientMessage.Subscribe, Future<?>> snapshots =
      (c, s) -> Future.succeededFuture();
  /** Channels subscribed since the snapshot in flight started: they get one more, merged. */
  private final Set<Channel> snapshotPending = EnumSet.noneOf(Channel.class);
  private boolean snapshotInFlight;
  private java.util.function.LongConsumer abortLater = delay -> { };

  SocketConnection(ServerWebSocket socket, UUID userId, String sessionHash, Clock clock, int messagesPerSecond) {
    this.socket = socket;
    // The loop it is created on serves it (null only off any loop: the heap probe's idle sockets).
    // Requests run on a duplicate of their server's context: keep the server's own, which the
    // supervisor of that loop looks its sockets up by.
    Context current = Vertx.currentContext();
    this.context = current == null ? null : ((ContextInternal) current).unwrap();
    this.userId = userId;
    this.sessionHash = sessionHash;
    this.clock = clock;
    this.rateLimiter = new RateLimiter(messagesPerSecond);
    this.openedAt = clock.instant();
    this.lastHeardMs = clock.millis();
    this.writer = new FrameWriter(socket, id);
    this.outbound = new OutboundQueue(socket, writer, userId.toString(), clock,
        () -> close(CloseReason.SLOW_CONSUMER));
  }

  /**
   * Listens for frames the decoder refuses, from the first byte: called as soon as the socket is
   * upgraded, since a bad frame can arrive while it is still being admitted.
   */
  void watchProtocolErrors() {
    socket.exceptionHandler(this::onException);
  }

  /** How to cut the connection after a delay when a close cannot be delivered. */
  void onAbort(java.util.function.LongConsumer abortLater) {
    this.abortLater = abortLater;
  }

  /**
   * Starts reading the client; {@code snapshots} loads and sends the snapshot of a subscribe's
   * channels, completing when it is sent. At most one is in flight per socket: subscribes that
   * arrive meanwhile are merged into one more, so a client cannot queue database reads.
   */
  void start(BiFunction<SocketConnection, ClientMessage.Subscribe, Future<?>> snapshots) {
    this.snapshots = snapshots;
    if (socket.isClosed()) {
      // The client left while the socket was being admitted; its close handler does the rest.
      return;
    }
    ClientFrames frames = new ClientFrames(StreamVerticle.MAX_MESSAGE_BYTES, new ClientFrames.Outcome() {
      @Override
      public void text(String message) {
        onText(message);
      }

      @Override
      public void binary() {
        onBinary();
      }

      @Override
      public void invalidUtf8() {
        close(CloseReason.INVALID_PAYLOAD);
      }

      @Override
      public void tooBig() {
        close(CloseReason.MESSAGE_TOO_BIG);
      }
    });
    socket.frameHandler(frames::onFrame);
    socket.pongHandler(b -> heard());
    outbound.limitWriteQueue();
    socket.resume();
  }

  /**
   * A frame the WebSocket decoder refused (RFC 6455 violations, a frame beyond twice the message
   * limit) closes with the code the RFC names; other failures are the connection's own.
   */
  private void onException(Throwable error) {
    LOG.debug("Socket {} failed: {}", id, error.getMessage());
    if (error instanceof CorruptedWebSocketFrameException corrupted) {
      CloseReason reason = switch (corrupted.closeStatus().code()) {
        case 1007 -> CloseReason.INVALID_PAYLOAD;
        case 1009 -> CloseReason.MESSAGE_TOO_BIG;
        default -> CloseReason.PROTOCOL_ERROR;
      };
      // The decoder reads nothing more, so the client's answering close frame would never be
      // seen: end the connection once ours has had a moment to leave.
      if (closeReason == null) {
        abortLater.accept(PROTOCOL_ERROR_LINGER_MS);
      }
      close(reason);
    }
  }

  private void onText(String text) {
    if (admitted()) {
      handle(ClientMessageParser.parse(text));
    }
  }

  /** Binary frames are not part of the protocol, but count against the rate limit like any other. */
  private void onBinary() {
    if (admitted()) {
      sendError(new ProtocolError(ErrorCode.INVALID_MESSAGE, "Binary frames are not supported; send JSON text",
          Map.of("frame", "binary")));
    }
  }

  /** Counts a client message against the rate limit: true when it may be handled. */
  private boolean admitted() {
    heard();
    messagesIn.incrementAndGet();
    switch (rateLimiter.onMessage(clock.millis())) {
      case ACCEPT -> {
        return true;
      }
      case DROP_AND_WARN -> sendError(new ProtocolError(ErrorCode.RATE_LIMITED,
          "More than " + rateLimiter.limit() + " messages in a second; messages are being dropped",
          Map.of("limit", rateLimiter.limit(), "windowMs", 1000)));
      case DROP -> { }
      case CLOSE -> close(CloseReason.RATE_LIMIT_EXCEEDED);
    }
    return false;
  }

  private void handle(ParseResult result) {
    if (result instanceof ParseResult.Rejected rejected) {
      sendError(rejected.error());
      return;
    }
    ClientMessage message = ((ParseResult.Accepted) result).message();
    if (message instanceof ClientMessage.Ping) {
      send(ServerEvents.pong(userId.toString(), clock.instant()));
    } else if (message instanceof ClientMessage.Subscribe subscribe) {
      subscription.apply(subscribe);
      send(ServerEvents.subscriptionInfo(userId.toString(), InfoCode.SUBSCRIBED,
          subscription.channels(), subscription.symbols(), clock.instant()));
      requestSnapshot(subscribe.channels());
    } else if (message instanceof ClientMessage.Unsubscribe unsubscribe) {
      subscription.apply(unsubscribe).ifPresentOrElse(this::sendError,
          () -> send(ServerEvents.subscriptionInfo(userId.toString(), InfoCode.UNSUBSCRIBED,
              subscription.channels(), subscription.symbols(), clock.instant())));
    }
  }

  /** Reads a snapshot of {@code channels} after any in flight; on the socket's loop. */
  void requestSnapshot(Set<Channel> channels) {
    snapshotPending.addAll(channels);
    if (!snapshotInFlight) {
      nextSnapshot();
    }
  }

  private void nextSnapshot() {
    if (snapshotPending.isEmpty() || closeReason != null) {
      snapshotInFlight = false;
      return;
    }
    ClientMessage.Subscribe merged = new ClientMessage.Subscribe(Set.copyOf(snapshotPending), Optional.empty());
    snapshotPending.clear();
    snapshotInFlight = true;
    snapshots.apply(this, merged).onComplete(done -> nextSnapshot());
  }

  /** Sends the part of a user event this socket subscribed to, if any; on the socket's loop. */
  void deliver(ServerEvent event) {
    subscription.filter(event).ifPresent(this::send);
  }

  /**
   * Hands a user frame to this socket from any thread: it is delivered on the socket's loop, in
   * the order handed over. A failure there closes this socket only; the caller, delivering to the
   * user's other sockets, never sees it.
   */
  void deliverFromAnyLoop(SharedFrame frame) {
    if (closeReason != null) {
      return;
    }
    context.runOnContext(v -> {
      try {
        // Taken whole, the frame goes out encoded once for all the user's sockets.
        subscription.filter(frame.event).ifPresent(event -> {
          send(event, event == frame.event ? frame : null);
          frame.delivered(event, clock.millis());
        });
      } catch (RuntimeException e) {
        LOG.warn("Delivery to socket {} of user {} failed, closing it: {}", id, userId, e.toString());
        try {
          close(CloseReason.INTERNAL_ERROR);
        } catch (RuntimeException again) {
          LOG.debug("Socket {} was already gone: {}", id, again.toString());
        }
      }
    });
  }

  /** The event loop context the socket is served on. */
  Context context() {
    return context;
  }

  void sendError(ProtocolError error) {
    send(ServerEvents.error(userId.toString(), error, clock.instant()));
  }

  /** Sends one event, unless this socket is closing; see {@link OutboundQueue} for a client that lags. */
  void send(ServerEvent event) {
    send(event, null);
  }

  /** Sends {@code event}, written from {@code shared}'s encoding when it is that frame whole. */
  private void send(ServerEvent event, SharedFrame shared) {
    if (closeReason != null || socket.isClosed()) {
      return;
    }
    outbound.offer(event, shared);
  }

  /**
   * Pings the client, or closes it when it has been silent or unable to keep up too long. A
   * client heard within the last half {@code intervalMs} (its own ping, a subscribe) has just shown
   * it is there: it is not pinged this round, which spares writes when clients keep their own
   * heartbeat, as the portfolio client does. Only half (and less when the timeout leaves less
   * room): the pong to the last round's ping comes just after that round, so it never skips the
   * next one, and a skipped client is pinged again at the latest one and a half intervals after it
   * was last heard, well inside the timeout (twice the interval by default) even when the loop's
   * timer runs late. (Skipping on a whole interval let a quiet client's silence reach the timeout
   * exactly: under load, 4 in 10 sockets of the scale benchmark were closed as timed out.)
   */
  void heartbeat(long intervalMs, long timeoutMs) {
    long silentMs = clock.millis() - lastHeardMs;
    long justHeardMs = Math.min(intervalMs, timeoutMs - intervalMs) / 2;
    if (silentMs > timeoutMs) {
      close(CloseReason.HEARTBEAT_TIMEOUT);
    } else if (outbound.slowerThanGrace()) {
      close(CloseReason.SLOW_CONSUMER);
    } else if (silentMs >= justHeardMs && closeReason == null && !socket.isClosed()) {
      socket.writePing(io.vertx.core.buffer.Buffer.buffer(0));
    }
  }

  void close(CloseReason reason, Object... args) {
    if (closeReason != null) {
      return;
    }
    closeReason = reason;
    LOG.debug("Closing socket {} of user {}: {}", id, userId, reason);
    boolean heldBack = outbound.stop();
    socket.close((short) reason.code(), reason.reason(args));
    if (heldBack) {
      // The close frame waits behind what the client does not read, and Vert.x starts its
      // closing timeout only once the frame is written: cut the connection ourselves.
      abortLater.accept(ABORT_AFTER_MS);
    }
  }

  private void heard() {
    lastHeardMs = clock.millis();
  }

  String id() {
    return id;
  }

  UUID userId() {
    return userId;
  }

  String sessionHash() {
    return sessionHash;
  }

  ServerWebSocket socket() {
    return socket;
  }

  Subscription subscription() {
    return subscription;
  }

  /** The reason we closed it; null when the client closed or the network dropped. */
  CloseReason closeReason() {
    return closeReason;
  }

  ConnectionInfo info() {
    return new ConnectionInfo(id, userId, openedAt, subscription.channels(), subscription.symbols(),
        messagesIn.get(), writer.written());
  }
}
