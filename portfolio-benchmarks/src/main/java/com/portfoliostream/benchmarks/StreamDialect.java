package com.portfoliostream.benchmarks;

import com.portfoliostream.web.Paths;
import io.vertx.core.Future;
import io.vertx.core.http.WebSocket;
import io.vertx.ext.web.client.WebClient;

/** Our own edge: a browser's sign-in ({@link BenchClient#login}), then our socket protocol as is. */
final class StreamDialect implements Dialect {

  private static final String SUBSCRIBE = "{\"type\":\"subscribe\",\"channels\":" + CHANNELS + "}";

  @Override
  public Future<String> signIn(WebClient web, int port, String username, String password) {
    return BenchClient.login(web, port, username, password).compose(login -> switch (login.statusCode()) {
      case 200 -> Future.succeededFuture(BenchClient.sessionCookie(login));
      case 503 -> Future.failedFuture(new SignInBusy());
      default -> Future.failedFuture("sign-in of " + username + ": " + login.statusCode() + " " + login.bodyAsString());
    });
  }

  @Override
  public String socketPath() {
    return Paths.PORTFOLIO_SOCKET;
  }

  @Override
  public void opened(WebSocket socket) {
    socket.writeTextMessage(SUBSCRIBE);
  }

  @Override
  public String unwrap(WebSocket socket, String text) {
    return text;
  }
}
