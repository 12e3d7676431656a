package com.portfoliostream.simulator.rest;

import com.portfoliostream.demo.DemoPortfolio.Holding;
import com.portfoliostream.simulator.SimulatorVerticle;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * The simulator's Java API over HTTP, under {@code /sim/control}, so tests and benchmarks in
 * another JVM can drive it. No authentication: the simulator is for demos and tests only.
 * Mutations answer 204; read-backs answer the REST shapes; a bad body is 400, an unknown key 404.
 */
public final class ControlRoutes {

  public static final String PREFIX = "/sim/control";

  private final SimulatorVerticle simulator;

  public ControlRoutes(SimulatorVerticle simulator) {
    this.simulator = simulator;
  }

  public void mount(Router router) {
    router.post(PREFIX + "/accounts").handler(ctx -> answer(ctx, body -> simulator.addAccount(
        body.getString("key_id"), body.getString("secret"), new BigDecimal(body.getString("cash")),
        holdings(body.getJsonArray("holdings", new JsonArray())))));
    router.post(PREFIX + "/prices").handler(ctx -> answer(ctx, body ->
        simulator.setPrice(body.getString("symbol").toUpperCase(), new BigDecimal(body.getString("price")))));
    router.post(PREFIX + "/tick").handler(ctx -> answer(ctx, body -> simulator.tick()));
    router.post(PREFIX + "/close-day").handler(ctx -> answer(ctx, body -> simulator.closeDay()));
    router.post(PREFIX + "/available").handler(ctx -> answer(ctx, body ->
        simulator.setAvailable(body.getBoolean("available"))));
    router.post(PREFIX + "/market-data/paused").handler(ctx -> answer(ctx, body ->
        simulator.pauseMarketData(body.getBoolean("paused"))));
    router.post(PREFIX + "/trading-streams/:keyId/drop").handler(ctx -> answer(ctx, body ->
        simulator.dropTradingStreams(ctx.pathParam("keyId"))));
    router.post(PREFIX + "/accounts/:keyId/orders/:orderId/events").handler(ctx -> answer(ctx, body ->
        simulator.exchangeEvent(ctx.pathParam("keyId"), ctx.pathParam("orderId"), body.getString("event"))));
    router.post(PREFIX + "/accounts/:keyId/subscription").handler(ctx -> answer(ctx, body ->
        simulator.setSipSubscription(ctx.pathParam("keyId"), body.getBoolean("sip"))));
    router.get(PREFIX + "/accounts/:keyId/account").handler(ctx -> read(ctx, simulator::account));
    router.get(PREFIX + "/accounts/:keyId/orders").handler(ctx -> read(ctx, simulator::orders));
    router.get(PREFIX + "/accounts/:keyId/positions").handler(ctx -> read(ctx, simulator::positions));
    router.get(PREFIX + "/accounts/:keyId/fills").handler(ctx -> read(ctx, simulator::fills));
  }

  private static void answer(RoutingContext ctx, Function<JsonObject, Future<Void>> action) {
    Future<Void> result;
    try {
      JsonObject body = ctx.body().length() == 0 ? new JsonObject() : ctx.body().asJsonObject();
      result = action.apply(body);
    } catch (RuntimeException e) {
      ctx.response().setStatusCode(400).end("bad control request: " + e.getMessage());
      return;
    }
    result.onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(e -> ctx.response().setStatusCode(500).end(String.valueOf(e.getMessage())));
  }

  private static void read(RoutingContext ctx, Function<String, Future<?>> view) {
    view.apply(ctx.pathParam("keyId"))
        .onSuccess(json -> TradingRoutes.reply(ctx, json))
        .onFailure(e -> ctx.response().setStatusCode(e instanceof NoSuchElementException ? 404 : 500)
            .end(String.valueOf(e.getMessage())));
  }

  private static List<Holding> holdings(JsonArray array) {
    List<Holding> holdings = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      JsonObject h = array.getJsonObject(i);
      holdings.add(new Holding(h.getString("symbol").toUpperCase(), new BigDecimal(h.getString("qty")),
          h.getString("side", "long"), new BigDecimal(h.getString("avg_entry_price"))));
    }
    return holdings;
  }
}
