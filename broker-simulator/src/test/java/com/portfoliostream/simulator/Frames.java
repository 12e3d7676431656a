package com.portfoliostream.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A plain WebSocket client that records every frame as it came (binary or text), and the close. */
final class Frames {

  /** One message from the server. */
  record Frame(boolean binary, String text) {
    JsonObject object() {
      return new JsonObject(text);
    }

    JsonArray array() {
      return new JsonArray(text);
    }
  }

  private static final long WAIT_SECONDS = 15;

  final WebSocket socket;
  private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
  private final CompletableFuture<Short> closed = new CompletableFuture<>();

  private Frames(WebSocket socket) {
    this.socket = socket;
    socket.textMessageHandler(text -> frames.add(new Frame(false, text)));
    socket.binaryMessageHandler(bytes -> frames.add(new Frame(true, bytes.toString())));
    socket.closeHandler(v -> closed.complete(socket.closeStatusCode()));
  }

  static Frames open(Future<WebSocket> connecting) throws Exception {
    return connecting.map(Frames::new).await(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  Frame next() throws InterruptedException {
    Frame frame = frames.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(frame).as("a frame within %d s", WAIT_SECONDS).isNotNull();
    return frame;
  }

  /** The next binary frame, as the trading stream sends every message. */
  JsonObject nextBinary() throws InterruptedException {
    Frame frame = next();
    assertThat(frame.binary()).as("binary frame: %s", frame.text()).isTrue();
    return frame.object();
  }

  /** The next text frame, as the market-data stream sends every message. */
  JsonArray nextText() throws InterruptedException {
    Frame frame = next();
    assertThat(frame.binary()).as("text frame: %s", frame.text()).isFalse();
    return frame.array();
  }

  /** Skips frames until one matches. */
  Frame until(Predicate<Frame> wanted) throws InterruptedException {
    while (true) {
      Frame frame = next();
      if (wanted.test(frame)) {
        return frame;
      }
    }
  }

  void send(String text) {
    socket.writeTextMessage(text);
  }

  /** The close status code the server sent (null when the connection was cut without one). */
  Short awaitClose() throws Exception {
    return closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  boolean isClosed() {
    return closed.isDone();
  }

  /** Nothing arrives within the given time. */
  void assertQuietFor(long millis) throws InterruptedException {
    Frame frame = frames.poll(millis, TimeUnit.MILLISECONDS);
    assertThat(frame).as("no frame expected").isNull();
  }
}
