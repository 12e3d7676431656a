package com.portfoliostream.web.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Makes a request line with an HTTP version other than 1.0 or 1.1 ({@code GET / HTTP/9.9}) a
 * malformed request, which the server answers 400 and closes, as it does any request its decoder
 * refuses. Left alone, Vert.x core answers such a request 501 before any handler of ours sees it: a
 * 5xx for a client's mistake. Like {@link ConnectionAbort}, this reaches under Vert.x (its HTTP/1.x
 * pipeline names, pinned to {@link ConnectionAbort#WRITTEN_FOR} by {@code HttpVersionGuardTest}); on a
 * connection it does not recognise it does nothing, and Vert.x's 501 stands.
 */
final class HttpVersionGuard extends ChannelInboundHandlerAdapter {

  /** The Netty decoder of an HTTP/1.x connection, and Vert.x's handler after it. */
  static final String DECODER = "httpDecoder";
  static final String VERTX_HANDLER = "handler";
  private static final String NAME = "portfoliostream.httpVersionGuard";

  private HttpVersionGuard() {}

  /** Why a request was refused: its version. */
  static final class UnsupportedVersion extends IllegalArgumentException {
    UnsupportedVersion(String version) {
      super("Unsupported HTTP version " + version.substring(0, Math.min(version.length(), 16))
          + "; this server speaks HTTP/1.1");
    }
  }

  /** Installs the guard on an HTTP/1.x connection; returns false when it could not. */
  static boolean install(HttpConnection connection) {
    if (!(connection instanceof ConnectionBase base)) {
      return false;
    }
    ChannelPipeline pipeline = base.channel().pipeline();
    if (pipeline.get(DECODER) == null || pipeline.get(VERTX_HANDLER) == null || pipeline.get(NAME) != null) {
      return false;
    }
    pipeline.addBefore(VERTX_HANDLER, NAME, new HttpVersionGuard());
    return true;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request && request.decoderResult().isSuccess()
        && !(request.protocolVersion().majorVersion() == 1 && request.protocolVersion().minorVersion() <= 1)) {
      request.setDecoderResult(DecoderResult.failure(new UnsupportedVersion(request.protocolVersion().text())));
      // The answer is HTTP/1.1, not an echo of a version nobody speaks.
      request.setProtocolVersion(HttpVersion.HTTP_1_1);
    }
    ctx.fireChannelRead(msg);
  }
}
