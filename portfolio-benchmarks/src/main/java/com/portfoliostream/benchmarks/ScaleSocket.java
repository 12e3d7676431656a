package com.portfoliostream.benchmarks;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * One of the scale benchmark's sockets: opened with a signed-in user's cookie, subscribed to
 * every channel, timed from the connect to the snapshot; after that every frame goes to the
 * fleet's current {@link DeliveryBook}. Holds nothing but its socket.
 */
final class ScaleSocket {

  /** How long a socket may take from connect to snapshot before it counts as failed. */
  static final long OPEN_TIMEOUT_MS = 60_000;
  /** The close "code" of a connection that ended without a close frame. */
  static final int NO_CLOSE_FRAME = -1;

  private final SocketFleet fleet;
  private WebSocket socket;
  private volatile boolean closing;

  ScaleSocket(SocketFleet fleet) {
    this.fleet = fleet;
  }

  /** Milliseconds from the connect to the snapshot; fails when the socket is refused, closed or late. */
  Future<Long> open(Vertx vertx, WebSocketClient client, int port, String cookie) {
    Dialect dialect = fleet.dialect();
    long started = System.nanoTime();
    Promise<Long> snapshot = Promise.promise();
    long timer = vertx.setTimer(OPEN_TIMEOUT_MS, id -> snapshot.tryFail("no snapshot within " + OPEN_TIMEOUT_MS + " ms"));
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
        .setURI(dialect.socketPath()).setHeaders(MultiMap.caseInsensitiveMultiMap().add("Cookie", cookie));
    client.connect(options).onSuccess(ws -> {
      socket = ws;
      ws.textMessageHandler(text -> received(ws, text, started, snapshot));
      ws.closeHandler(v -> {
        if (!snapshot.tryFail("closed before its snapshot: " + ws.closeStatusCode() + " " + ws.closeReason()) && !closing) {
          Short code = ws.closeStatusCode();
          fleet.closedByServer(code == null ? NO_CLOSE_FRAME : code);
        }
      });
      ws.exceptionHandler(e -> snapshot.tryFail(e));
      dialect.opened(ws);
    }).onFailure(snapshot::tryFail);
    return snapshot.future().onComplete(done -> vertx.cancelTimer(timer));
  }

  private void received(WebSocket ws, String text, long started, Promise<Long> snapshot) {
    long now = System.currentTimeMillis();
    String frame;
    try {
      frame = fleet.dialect().unwrap(ws, text);
    } catch (IllegalStateException refused) {
      snapshot.tryFail(refused);
      ws.close();
      return;
    }
    if (frame == null) {
      return;
    }
    if (!snapshot.future().isComplete() && FrameScanner.SNAPSHOT.equals(FrameScanner.type(frame))) {
      snapshot.complete((System.nanoTime() - started) / 1_000_000);
      return;
    }
    fleet.book().frame(frame, now);
  }

  void close() {
    closing = true;
    if (socket != null && !socket.isClosed()) {
      socket.close();
    }
  }
}
