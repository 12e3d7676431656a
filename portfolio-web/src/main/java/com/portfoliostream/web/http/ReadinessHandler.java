package com.portfoliostream.web.http;

import com.portfoliostream.common.NodeContext;
import com.portfoliostream.common.health.NodeDrain;
import com.portfoliostream.common.health.NodeHealthChecks;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;

/**
 * {@code GET /readiness}: 200 when every readiness check is up, 503 when one is down, and 404
 * while the node drains (DRAIN_SECONDS after SIGTERM). The 404 is HAProxy's
 * {@code http-check disable-on-404}: the edge stops getting new connections while the ones it has
 * go on until it closes them 1001, instead of being marked down and cut. To Kubernetes any of
 * 404 or 503 is "not ready".
 */
public final class ReadinessHandler implements Handler<RoutingContext> {

  private final Vertx vertx;
  private final HealthCheckHandler checks;

  private ReadinessHandler(Vertx vertx, HealthCheckHandler checks) {
    this.vertx = vertx;
    this.checks = checks;
  }

  public static ReadinessHandler of(Vertx vertx, NodeContext node) {
    return new ReadinessHandler(vertx, HealthCheckHandler.createWithHealthChecks(NodeHealthChecks.readiness(vertx, node)));
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!NodeDrain.isDraining(vertx)) {
      checks.handle(ctx);
      return;
    }
    JsonObject body = new JsonObject().put("status", "DOWN").put("outcome", "DOWN")
        .put("checks", new JsonArray().add(new JsonObject().put("id", NodeHealthChecks.DRAINING).put("status", "DOWN")));
    ctx.response().setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.encode());
  }
}
