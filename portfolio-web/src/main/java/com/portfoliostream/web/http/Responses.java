package com.portfoliostream.web.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.handler.SessionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every REST response goes out through here: the session is written to the cluster before the
 * response that carries its cookie is sent, so the next request (on any node) finds it. Vert.x
 * would otherwise store it while the response is already on its way. An empty session (an
 * anonymous caller's: the store keeps none) gets no cookie either, so the next request does not
 * look up a session that was never stored.
 */
public final class Responses {

  private static final String SESSION_HANDLER = "portfolio.session-handler";
  private static final String SESSION_COOKIE = "portfolio.session-cookie";
  private static final Logger LOG = LoggerFactory.getLogger(Responses.class);

  private Responses() {}

  /** Installed right after the session handler, so responses can flush the session. */
  public static Handler<RoutingContext> rememberSessionHandler(SessionHandler handler, String cookieName) {
    return ctx -> {
      ctx.put(SESSION_HANDLER, handler);
      ctx.put(SESSION_COOKIE, cookieName);
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
    Session session = ctx.session();
    return handler.flush(ctx).recover(e -> {
      LOG.warn("Could not store the session: {}", e.getMessage());
      return Future.succeededFuture();
    }).onComplete(v -> {
      if (session.isEmpty() && !session.isDestroyed()) {
        ctx.response().removeCookie(ctx.get(SESSION_COOKIE), false);
      }
    });
  }
}
