package com.portfoliostream.web.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolException;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.AttributeKey;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PROXY_PROTOCOL: every connection must begin with a PROXY protocol header (v1 or v2, what
 * HAProxy's {@code send-proxy-v2} writes); its source address is kept on the connection for
 * {@link ClientAddress}, which believes it only from a trusted proxy. A connection that begins
 * with anything else is closed (one DEBUG line). Netty's decoder does the parsing.
 *
 * <p>Vert.x's own {@code setUseProxyProtocol} is not used: in Vert.x 5 an HTTP server with metrics
 * enabled hands the header's address to an intermediate TCP socket object, and the HTTP
 * connection reports the balancer's address instead ({@code ProxyProtocolTest} shows the result).
 * Like {@link ConnectionAbort}, this adds to the connection's Netty pipeline, before any byte is
 * read (the connection handler runs as the pipeline is built).
 */
final class ProxyProtocol extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(ProxyProtocol.class);
  private static final AttributeKey<String> SOURCE = AttributeKey.valueOf("portfoliostream.proxySource");
  private static final String DECODER = "portfoliostream.proxyDecoder";
  private static final String NAME = "portfoliostream.proxySource";

  private final Runnable onHeader;

  private ProxyProtocol(Runnable onHeader) {
    this.onHeader = onHeader;
  }

  /**
   * Requires a PROXY header first on {@code connection}, and runs {@code onHeader} on its event
   * loop once it is read; false when it cannot (not a Netty connection).
   */
  static boolean require(HttpConnection connection, Runnable onHeader) {
    if (!(connection instanceof ConnectionBase base)) {
      return false;
    }
    ChannelPipeline pipeline = base.channel().pipeline();
    if (pipeline.get(DECODER) != null) {
      return true;
    }
    pipeline.addFirst(NAME, new ProxyProtocol(onHeader));
    pipeline.addFirst(DECODER, new HAProxyMessageDecoder());
    return true;
  }

  /** The source the connection's PROXY header named, if it had one naming a TCP source. */
  static Optional<String> source(HttpConnection connection) {
    if (connection instanceof ConnectionBase base && base.channel().hasAttr(SOURCE)) {
      return Optional.ofNullable(base.channel().attr(SOURCE).get());
    }
    return Optional.empty();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof HAProxyMessage header)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      // LOCAL (a balancer's own health check) and UNKNOWN name no client: the peer is the client.
      HAProxyProxiedProtocol protocol = header.proxiedProtocol();
      if (header.command() == HAProxyCommand.PROXY && header.sourceAddress() != null
          && (protocol == HAProxyProxiedProtocol.TCP4 || protocol == HAProxyProxiedProtocol.TCP6)) {
        ctx.channel().attr(SOURCE).set(header.sourceAddress());
      }
    } finally {
      header.release();
    }
    ctx.pipeline().remove(this);
    onHeader.run();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof HAProxyProtocolException) {
      LOG.debug("Closed a connection from {} that began without a PROXY protocol header: {}",
          ctx.channel().remoteAddress(), cause.getMessage());
      ctx.close();
      return;
    }
    ctx.fireExceptionCaught(cause);
  }
}
