package com.portfoliostream.stream.web;

import com.portfoliostream.web.Paths;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The browser side served by the stream node: the trader dashboard under {@code /app/} and the
 * client library under {@code /client/} (the {@code portfolio-client} package, copied into the
 * classpath by the build). No CDN: everything the page loads comes from this node.
 */
public final class WebAssets {

  /** Same-origin only: scripts, styles and the socket come from this node; no framing. */
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; connect-src 'self' ws: wss:; "
      + "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

  /** Mounts the assets; call before the session handler, since static files need no session. */
  public void mount(Router router) {
    router.get(Paths.ROOT).handler(ctx -> ctx.redirect(Paths.APP));
    router.get(Paths.under(Paths.APP)).handler(WebAssets::securityHeaders)
        .handler(assets("webroot/app"));
    router.get(Paths.under(Paths.CLIENT)).handler(WebAssets::securityHeaders)
        .handler(assets("webroot/client"));
  }

  private static StaticHandler assets(String root) {
    // Revalidated on every load, so a redeployed node never leaves a stale dashboard in a browser.
    return StaticHandler.create(root).setCachingEnabled(false).setIndexPage("index.html");
  }

  private static void securityHeaders(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "same-origin")
        .putHeader("Cache-Control", "no-cache");
    ctx.next();
  }
}
