package com.portfoliostream.testkit;

import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A client socket that records everything it receives, and how it was closed. */
public final class TestSocket implements AutoCloseable {

  /** The close frame the server sent. */
  public record Closed(int code, String reason) {}

  private final WebSocket socket;
  private final io.vertx.core.http.WebSocketClient client;
  private final List<JsonObject> received = new ArrayList<>();
  private final CompletableFuture<Closed> closed = new CompletableFuture<>();
  private int cursor;

  TestSocket(WebSocket socket, io.vertx.core.http.WebSocketClient client) {
    this.socket = socket;
    this.client = client;
    if (socket.isClosed()) {
      closed.complete(new Closed(socket.closeStatusCode() == null ? -1 : socket.closeStatusCode(), socket.closeReason()));
      return;
    }
    socket.textMessageHandler(text -> {
      synchronized (received) {
        received.add(new JsonObject(text));
        received.notifyAll();
      }
    });
    socket.closeHandler(v -> closed.complete(new Closed(
        socket.closeStatusCode() == null ? -1 : socket.closeStatusCode(), socket.closeReason())));
  }

  public void send(String text) {
    socket.writeTextMessage(text);
  }

  /** One text message split into two frames. */
  public void sendFragmented(String first, String second) {
    socket.writeFrame(io.vertx.core.http.WebSocketFrame.textFrame(first, false));
    socket.writeFrame(io.vertx.core.http.WebSocketFrame.continuationFrame(io.vertx.core.buffer.Buffer.buffer(second), true));
  }

  public void sendBinary(byte[] bytes) {
    socket.writeBinaryMessage(io.vertx.core.buffer.Buffer.buffer(bytes));
  }

  public void send(JsonObject message) {
    send(message.encode());
  }

  /** The next message after the last one awaited that matches; earlier non-matching ones are skipped. */
  public JsonObject await(Predicate<JsonObject> matching, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (received) {
      while (true) {
        while (cursor < received.size()) {
          JsonObject message = received.get(cursor++);
          if (matching.test(message)) {
            return message;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no matching message within " + timeout + "; received " + received);
        }
        received.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      }
    }
  }

  public JsonObject awaitType(String type) throws InterruptedException {
    return await(m -> type.equals(m.getString("type")), Duration.ofSeconds(10));
  }

  /**
   * The entity states of one kind received so far, whether they came as typed events or inside
   * batches: kind is position, order, account or trade.
   */
  public List<JsonObject> entities(String kind) {
    List<JsonObject> found = new ArrayList<>();
    for (JsonObject message : received()) {
      found.addAll(entitiesOf(message, kind));
    }
    return found;
  }

  /** Waits until an entity of {@code kind} matching arrives (typed or in a batch). */
  public JsonObject awaitEntity(String kind, Predicate<JsonObject> matching, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (received) {
      while (true) {
        for (JsonObject message : received) {
          for (JsonObject entity : entitiesOf(message, kind)) {
            if (matching.test(entity)) {
              return entity;
            }
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no matching " + kind + " within " + timeout + "; received " + received);
        }
        received.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      }
    }
  }

  static List<JsonObject> entitiesOf(JsonObject message, String kind) {
    String type = message.getString("type");
    JsonObject data = message.getJsonObject("data");
    String typed = switch (kind) {
      case "position" -> "position_update";
      case "order" -> "order_update";
      case "account" -> "account_update";
      default -> "trade_executed";
    };
    if (typed.equals(type)) {
      return List.of(data);
    }
    if (!"batch".equals(type)) {
      return List.of();
    }
    if (kind.equals("account")) {
      return data.containsKey("account") ? List.of(data.getJsonObject("account")) : List.of();
    }
    io.vertx.core.json.JsonArray list = data.getJsonArray(kind + "s");
    List<JsonObject> out = new ArrayList<>();
    if (list != null) {
      list.forEach(o -> out.add((JsonObject) o));
    }
    return out;
  }

  /** Every message received so far. */
  public List<JsonObject> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  public Closed awaitClose(Duration timeout) throws Exception {
    return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public boolean isClosed() {
    return closed.isDone();
  }

  @Override
  public void close() {
    if (!socket.isClosed()) {
      socket.close().onComplete(done -> client.close());
    } else {
      client.close();
    }
  }
}
