package com.portfoliostream.simulator.stream;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;

/** What both stream servers do to their sockets. */
final class Sockets {

  /** Close code after a failed authentication (Alpaca closes the connection then). */
  static final short POLICY_VIOLATION = 1008;

  private Sockets() {}

  /** Cuts the TCP connection without a close frame, as a crashed or partitioned broker would. */
  static void cut(ServerWebSocket socket) {
    if (socket instanceof WebSocketInternal internal) {
      internal.channelHandlerContext().channel().close();
    } else {
      socket.close();
    }
  }

  /** The JSON value of a frame, or null when it is not JSON. */
  static Object parse(Buffer frame) {
    try {
      return Json.decodeValue(frame);
    } catch (DecodeException e) {
      return null;
    }
  }
}
