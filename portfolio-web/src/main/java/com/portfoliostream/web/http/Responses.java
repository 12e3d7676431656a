package com.portfoliostream.web.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.SessionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every REST response goes out through here: the session is written to the cluster before the
 * response that carries its cookie is sent, so the next request (on any node) finds it. Vert.x
 * would otherwise store it while the response is already on its way.
 */
public final class Responses {

  private static final String SESSION_HANDLER = "portfolio.session-handler";
  private static final Logger LOG = LoggerFactory.getLogger(Responses.class);

  private Responses() {}

  /** Installed right after the session handler, so responses can flush the session. */
  public static Handler<RoutingContext> rememberSessionHandler(SessionHandler handler) {
    return ctx -> {
      ctx.put(SESSION_HANDLER, handler);
      ctx.next();
    };
  }

  /** Sends {@code json} (or no body when null) with {@code status}, after the session is stored. */
  public static void send(RoutingContext ctx, int status, String json) {
    flushSession(ctx).onComplete(v -> {
      if (ctx.response().ended() || ctx.response().headWritten()) {
        return;
      }
      ctx.response().setStatusCode(status).putHeader("Cache-Control", "no-store");
      if (json == null) {
        ctx.response().end();
      } else {
        ctx.response().putHeader("Content-Type", "application/json").end(json);
      }
    });
  }

  private static Future<Void> flushSession(RoutingContext ctx) {
    SessionHandler handler = ctx.get(SESSION_HANDLER);
    if (handler == null || ctx.session() == null) {
      return Future.succeededFuture();
    }
    return handler.flush(ctx).recover(e -> {
      LOG.warn("Could not store the session: {}", e.getMessage());
      return Future.succeededFuture();
    });
  }
}
