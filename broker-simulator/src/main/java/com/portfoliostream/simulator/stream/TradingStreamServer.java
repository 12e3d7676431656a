package com.portfoliostream.simulator.stream;

import com.portfoliostream.simulator.alpaca.AlpacaJson;
import com.portfoliostream.simulator.market.Account;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alpaca's trading stream at {@code /stream}: {@code authenticate} → {@code authorization},
 * {@code listen} → {@code listening}, then live {@code trade_updates}. Every server message is a
 * binary frame holding JSON, as Alpaca sends them. A failed authentication, or a listen before
 * one, is answered {@code unauthorized} and the connection closed. Only live events are sent: a
 * client that was away backfills over REST. A client that lets {@link #MAX_QUEUED_BYTES} pile up
 * unread is cut; it too backfills over REST. Counts, per key, the authenticated connections open
 * now and the most ever open at once ({@link #connectionCounts}): Alpaca allows one per key, and a
 * client cluster must never hold two.
 */
public final class TradingStreamServer {

  public static final String PATH = "/stream";
  public static final int MAX_QUEUED_BYTES = 1024 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(TradingStreamServer.class);

  private final Function<String, Optional<Account>> accounts;
  private final Map<ServerWebSocket, String> authenticated = new HashMap<>();
  private final Map<String, Set<ServerWebSocket>> listening = new HashMap<>();
  /** Per key, the most authenticated connections ever open at the same time. */
  private final Map<String, Integer> mostOpen = new HashMap<>();

  public TradingStreamServer(Function<String, Optional<Account>> accounts) {
    this.accounts = accounts;
  }

  public void accept(ServerWebSocket socket) {
    socket.setWriteQueueMaxSize(MAX_QUEUED_BYTES);
    socket.handler(frame -> onMessage(socket, frame));
    socket.closeHandler(v -> forget(socket));
  }

  /** Sends a trade update to every socket of the key listening to {@code trade_updates}. */
  public void tradeUpdate(String keyId, JsonObject message) {
    Set<ServerWebSocket> sockets = listening.get(keyId);
    if (sockets == null) {
      return;
    }
    Buffer frame = message.toBuffer();
    for (ServerWebSocket socket : List.copyOf(sockets)) {
      if (socket.writeQueueFull()) {
        LOG.warn("Trading stream of key {} is not reading; cutting it", keyId);
        Sockets.cut(socket);
        forget(socket);
      } else {
        socket.writeBinaryMessage(frame);
      }
    }
  }

  /** Cuts every trading stream of a key (null: of every key) without a close frame. */
  public void drop(String keyIdOrNull) {
    for (Map.Entry<ServerWebSocket, String> entry : List.copyOf(authenticated.entrySet())) {
      if (keyIdOrNull == null || keyIdOrNull.equals(entry.getValue())) {
        Sockets.cut(entry.getKey());
        forget(entry.getKey());
      }
    }
  }

  /**
   * Per key that ever authenticated: {@code open}, its authenticated connections now, and
   * {@code max_open}, the most that were open at the same time.
   */
  public JsonObject connectionCounts() {
    JsonObject counts = new JsonObject();
    mostOpen.forEach((keyId, most) -> counts.put(keyId,
        new JsonObject().put("open", openCount(keyId)).put("max_open", most)));
    return counts;
  }

  private int openCount(String keyId) {
    return (int) authenticated.values().stream().filter(keyId::equals).count();
  }

  private void onMessage(ServerWebSocket socket, Buffer frame) {
    if (!(Sockets.parse(frame) instanceof JsonObject message)) {
      LOG.debug("Ignoring a trading stream frame that is not a JSON object");
      return;
    }
    JsonObject data = message.getValue("data") instanceof JsonObject d ? d : new JsonObject();
    String action = message.getValue("action") instanceof String a ? a : "";
    switch (action) {
      case "authenticate" -> authenticate(socket, data);
      case "listen" -> listen(socket, data);
      default -> LOG.debug("Ignoring trading stream action {}", action);
    }
  }

  private void authenticate(ServerWebSocket socket, JsonObject data) {
    String keyId = data.getValue("key_id") instanceof String k ? k : "";
    String secret = data.getValue("secret_key") instanceof String s ? s : null;
    boolean ok = accounts.apply(keyId).map(a -> a.secretMatches(secret)).orElse(false);
    if (!ok) {
      refuse(socket, "authenticate");
      return;
    }
    forget(socket);
    authenticated.put(socket, keyId);
    mostOpen.merge(keyId, openCount(keyId), Math::max);
    send(socket, authorization("authorized", "authenticate"));
  }

  private void listen(ServerWebSocket socket, JsonObject data) {
    String keyId = authenticated.get(socket);
    if (keyId == null) {
      refuse(socket, "listen");
      return;
    }
    JsonArray requested = data.getValue("streams") instanceof JsonArray s ? s : new JsonArray();
    JsonArray streams = new JsonArray();
    if (requested.contains(AlpacaJson.TRADE_UPDATES)) {
      listening.computeIfAbsent(keyId, k -> new LinkedHashSet<>()).add(socket);
      streams.add(AlpacaJson.TRADE_UPDATES);
    } else {
      Optional.ofNullable(listening.get(keyId)).ifPresent(s -> s.remove(socket));
    }
    send(socket, new JsonObject().put("stream", "listening").put("data", new JsonObject().put("streams", streams)));
  }

  private void refuse(ServerWebSocket socket, String action) {
    send(socket, authorization("unauthorized", action));
    forget(socket);
    socket.close(Sockets.POLICY_VIOLATION, "unauthorized");
  }

  private static JsonObject authorization(String status, String action) {
    return new JsonObject().put("stream", "authorization")
        .put("data", new JsonObject().put("status", status).put("action", action));
  }

  private static void send(ServerWebSocket socket, JsonObject message) {
    socket.writeBinaryMessage(message.toBuffer());
  }

  private void forget(ServerWebSocket socket) {
    String keyId = authenticated.remove(socket);
    if (keyId != null) {
      Set<ServerWebSocket> sockets = listening.get(keyId);
      if (sockets != null && sockets.remove(socket) && sockets.isEmpty()) {
        listening.remove(keyId);
      }
    }
  }
}
