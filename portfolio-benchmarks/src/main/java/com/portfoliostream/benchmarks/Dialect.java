package com.portfoliostream.benchmarks;

import io.vertx.core.Future;
import io.vertx.core.http.WebSocket;
import io.vertx.ext.web.client.WebClient;

/**
 * How the scale benchmark's one client program speaks to one kind of server: signing in over
 * HTTP, and the protocol its WebSocket carries, up to the subscription and its snapshot.
 */
interface Dialect {

  /** The channels every benchmark socket subscribes to. */
  String CHANNELS = "[\"positions\",\"orders\",\"account\",\"trades\"]";

  /** The {@code Cookie} header a signed-in socket sends; fails with {@link SignInBusy} when the server says try again. */
  Future<String> signIn(WebClient web, int port, String username, String password);

  /** Path and query of the socket's upgrade request. */
  String socketPath();

  /** The socket just opened. */
  void opened(WebSocket socket);

  /**
   * One text message off the socket: answers the protocol's own messages, and returns the
   * application frame it carries (the envelope, maybe wrapped), or null when it carries none.
   * Throws {@link IllegalStateException} when the server refused the socket.
   */
  String unwrap(WebSocket socket, String text);

  /** The server's sign-in was full (503): try again a moment later. */
  final class SignInBusy extends RuntimeException {
    SignInBusy() {
      super("sign-in busy", null, false, false);
    }
  }
}
