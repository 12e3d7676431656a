package com.portfoliostream.simulator.rest;

import com.portfoliostream.demo.DemoPortfolio.Holding;
import com.portfoliostream.events.model.Decimals.Sign;
import com.portfoliostream.simulator.SimulatorVerticle;
import com.portfoliostream.simulator.alpaca.AlpacaError;
import com.portfoliostream.simulator.alpaca.AlpacaError.AlpacaException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator's Java API over HTTP, under {@code /sim/control}, so tests and benchmarks in
 * another JVM can drive it. Every call passes the {@link ControlGuard} first (own Host, the control
 * token, JSON bodies). Mutations answer 204; read-backs answer the REST shapes; errors are Alpaca's
 * {@code {"code","message"}}: a bad field 400 naming it, an unknown key or order 404. No answer
 * repeats an exception's text.
 */
public final class ControlRoutes {

  public static final String PREFIX = "/sim/control";
  private static final Logger LOG = LoggerFactory.getLogger(ControlRoutes.class);

  private final SimulatorVerticle simulator;
  private final ControlGuard guard;

  public ControlRoutes(SimulatorVerticle simulator, ControlGuard guard) {
    this.simulator = simulator;
    this.guard = guard;
  }

  public void mount(Router router) {
    router.route(PREFIX + "/*").handler(guard);
    router.post(PREFIX + "/accounts").handler(ctx -> answer(ctx, body -> simulator.addAccount(body.text("key_id"),
        body.text("secret"), body.decimal("cash", Sign.ANY), holdings(body.array("holdings")))));
    router.post(PREFIX + "/prices").handler(ctx -> answer(ctx, body -> simulator.setPrice(body.symbol("symbol"),
        body.decimal("price", Sign.POSITIVE))));
    router.post(PREFIX + "/tick").handler(ctx -> answer(ctx, body -> simulator.tick()));
    router.post(PREFIX + "/close-day").handler(ctx -> answer(ctx, body -> simulator.closeDay()));
    router.post(PREFIX + "/available").handler(ctx -> answer(ctx, body ->
        simulator.setAvailable(body.flag("available"))));
    router.post(PREFIX + "/market-data/paused").handler(ctx -> answer(ctx, body ->
        simulator.pauseMarketData(body.flag("paused"))));
    router.get(PREFIX + "/trading-streams").handler(ctx -> readBack(ctx, simulator.tradingStreamCounts()));
    router.post(PREFIX + "/trading-streams/drop").handler(ctx -> answer(ctx, body ->
        simulator.dropAllTradingStreams()));
    router.post(PREFIX + "/trading-streams/:keyId/drop").handler(ctx -> answer(ctx, body ->
        simulator.dropTradingStreams(ctx.pathParam("keyId"))));
    router.post(PREFIX + "/accounts/:keyId/orders/:orderId/events").handler(ctx -> answer(ctx, body ->
        simulator.exchangeEvent(ctx.pathParam("keyId"), ctx.pathParam("orderId"), body.exchangeEvent("event"))));
    router.post(PREFIX + "/accounts/:keyId/subscription").handler(ctx -> answer(ctx, body ->
        simulator.setSipSubscription(ctx.pathParam("keyId"), body.flag("sip"))));
    router.get(PREFIX + "/accounts/:keyId/account").handler(ctx -> read(ctx, simulator::account));
    router.get(PREFIX + "/accounts/:keyId/orders").handler(ctx -> read(ctx, simulator::orders));
    router.get(PREFIX + "/accounts/:keyId/positions").handler(ctx -> read(ctx, simulator::positions));
    router.get(PREFIX + "/accounts/:keyId/fills").handler(ctx -> read(ctx, simulator::fills));
  }

  private static void answer(RoutingContext ctx, Function<ControlFields, Future<Void>> action) {
    Future<Void> result;
    try {
      result = action.apply(ControlFields.of(ctx.body().buffer()));
    } catch (AlpacaException e) {
      TradingRoutes.reply(ctx, TradingRoutes.error(e.error()));
      return;
    }
    result.onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(e -> failed(ctx, e));
  }

  private static void read(RoutingContext ctx, Function<String, Future<?>> view) {
    readBack(ctx, view.apply(ctx.pathParam("keyId")));
  }

  private static void readBack(RoutingContext ctx, Future<?> view) {
    view.onSuccess(json -> TradingRoutes.reply(ctx, json)).onFailure(e -> failed(ctx, e));
  }

  private static void failed(RoutingContext ctx, Throwable e) {
    AlpacaError error;
    if (e instanceof AlpacaException alpaca) {
      error = alpaca.error();
    } else if (e instanceof NoSuchElementException) {
      error = new AlpacaError(404, 40410000, "no simulator account for key_id");
    } else {
      LOG.warn("Control call {} failed: {}", ctx.normalizedPath(), e.toString());
      error = new AlpacaError(500, 50010000, "control call failed");
    }
    TradingRoutes.reply(ctx, TradingRoutes.error(error));
  }

  private static List<Holding> holdings(JsonArray array) {
    List<Holding> holdings = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject json)) {
        throw AlpacaError.badControlField("holdings[" + i + "] must be an object").exception();
      }
      ControlFields h = new ControlFields(json, "holdings[" + i + "].");
      holdings.add(new Holding(h.symbol("symbol"), h.decimal("qty", Sign.POSITIVE), h.side("side"),
          h.decimal("avg_entry_price", Sign.POSITIVE)));
    }
    return holdings;
  }
}
