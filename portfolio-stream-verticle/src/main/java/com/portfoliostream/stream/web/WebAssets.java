package com.portfoliostream.stream.web;

import com.portfoliostream.web.Paths;
import com.portfoliostream.web.http.SecurityHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The browser side served by the stream node: the trader dashboard under {@code /app/} and the
 * client library under {@code /client/} (the {@code portfolio-client} package, copied into the
 * classpath by the build). No CDN: everything the page loads comes from this node.
 */
public final class WebAssets {

  private final boolean tls;

  /** {@code tls}: the node serves HTTPS itself (its pages then carry HSTS). */
  public WebAssets(boolean tls) {
    this.tls = tls;
  }

  /** Mounts the assets; call before the session handler, since static files need no session. */
  public void mount(Router router) {
    router.get(Paths.ROOT).handler(ctx -> ctx.redirect(Paths.APP));
    router.get(Paths.under(Paths.APP)).handler(SecurityHeaders.forPages(tls))
        .handler(assets("webroot/app"));
    router.get(Paths.under(Paths.CLIENT)).handler(SecurityHeaders.forPages(tls))
        .handler(assets("webroot/client"));
  }

  private static StaticHandler assets(String root) {
    // Revalidated on every load, so a redeployed node never leaves a stale dashboard in a browser.
    return StaticHandler.create(root).setCachingEnabled(false).setIndexPage("index.html");
  }

}
