package com.portfoliostream.web.http;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Cuts the TCP connection under a WebSocket whose close frame cannot get through (a client that
 * stopped reading): Vert.x's own close waits for that frame to be written first, and its closing
 * timeout starts only once it is. Vert.x has no public API for this, so this is the one place
 * that reaches into its internals; {@code ConnectionAbortTest} pins it to {@link #WRITTEN_FOR}
 * and checks that the cut really happens, so an upgrade that changes the internals fails there.
 */
public final class ConnectionAbort {

  /** The Vert.x version this adapter was written for and tested against. */
  public static final String WRITTEN_FOR = "5.0.10";

  private ConnectionAbort() {}

  /** Closes {@code connection} at once, without another close frame; plain close when it cannot. */
  public static void abort(HttpConnection connection) {
    cutter(connection).run();
  }

  /**
   * What {@link #abort} does, to run later: it holds only the connection's Netty channel, so a
   * socket that keeps it does not keep the HTTP connection it was upgraded from (its request,
   * routing context and session) alive for as long as the socket lives.
   */
  public static Runnable cutter(HttpConnection connection) {
    if (!canCut(connection)) {
      return connection::close;
    }
    io.netty.channel.Channel channel = ((ConnectionBase) connection).channel();
    return () -> {
      // Started at the first handler, the close reaches the socket without passing the Vert.x
      // handler at the end of the pipeline, which would queue yet another close frame. A
      // connection that closed meanwhile has no handlers left: nothing to cut.
      io.netty.channel.ChannelHandlerContext first = channel.pipeline().firstContext();
      if (first != null) {
        first.close();
      }
    };
  }

  /** True when {@link #abort} can cut this connection underneath Vert.x rather than ask it to close. */
  public static boolean canCut(HttpConnection connection) {
    return connection instanceof ConnectionBase;
  }
}
