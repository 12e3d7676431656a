package com.portfoliostream.web.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * The headers every page a node serves carries (the dashboard, the client library, the admin
 * console): same-origin content only, no framing, no sniffing, no referrer beyond the site, and
 * HSTS when the node itself terminates TLS.
 */
public final class SecurityHeaders {

  /** Same-origin only: scripts, styles and the socket come from this node; no framing. */
  public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; connect-src 'self' ws: wss:; "
      + "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
  static final String STRICT_TRANSPORT_SECURITY = "max-age=31536000";

  private SecurityHeaders() {}

  /** Sets the headers and passes the request on; {@code tls}: the node serves HTTPS itself. */
  public static Handler<RoutingContext> forPages(boolean tls) {
    return ctx -> {
      ctx.response()
          .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
          .putHeader("X-Content-Type-Options", "nosniff")
          .putHeader("Referrer-Policy", "same-origin")
          .putHeader("Cache-Control", "no-cache");
      if (tls) {
        ctx.response().putHeader("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
      }
      ctx.next();
    };
  }
}
