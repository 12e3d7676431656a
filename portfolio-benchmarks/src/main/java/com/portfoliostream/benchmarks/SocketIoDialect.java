package com.portfoliostream.benchmarks;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

/**
 * The Socket.IO peer, spoken over a plain WebSocket: Engine.IO v4 ({@code 0} open, {@code 2} ping
 * answered {@code 3}, {@code 4} message) carrying Socket.IO v5 ({@code 40} connect, answered
 * {@code 40{"sid":..}} or {@code 44{..}} refused; {@code 42["name",payload]} events). The peer's
 * sign-in is a plain JSON POST that sets the session cookie.
 */
final class SocketIoDialect implements Dialect {

  static final String LOGIN = "/api/auth/login";
  private static final String SUBSCRIBE = "42[\"subscribe\",{\"channels\":" + CHANNELS + "}]";

  @Override
  public Future<String> signIn(WebClient web, int port, String username, String password) {
    return web.post(port, "127.0.0.1", LOGIN).putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(new JsonObject().put("username", username).put("password", password).encode()))
        .compose(login -> login.statusCode() == 200
            ? Future.succeededFuture(BenchClient.sessionCookie(login))
            : Future.failedFuture("sign-in of " + username + ": " + login.statusCode() + " " + login.bodyAsString()));
  }

  @Override
  public String socketPath() {
    return "/socket.io/?EIO=4&transport=websocket";
  }

  @Override
  public void opened(WebSocket socket) {
    // Engine.IO speaks first: its open packet.
  }

  @Override
  public String unwrap(WebSocket socket, String text) {
    if (text.startsWith("42")) {
      return text;
    }
    if (text.equals("2")) {
      socket.writeTextMessage("3");
    } else if (text.startsWith("0")) {
      socket.writeTextMessage("40");
    } else if (text.startsWith("40")) {
      socket.writeTextMessage(SUBSCRIBE);
    } else if (text.startsWith("44")) {
      throw new IllegalStateException("refused: " + text.substring(2));
    }
    return null;
  }
}
