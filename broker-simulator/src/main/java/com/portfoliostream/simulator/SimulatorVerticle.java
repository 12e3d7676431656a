package com.portfoliostream.simulator;

import com.portfoliostream.common.NodeContext;
import com.portfoliostream.demo.DemoPortfolio.Holding;
import com.portfoliostream.simulator.alpaca.AlpacaJson;
import com.portfoliostream.simulator.market.Account;
import com.portfoliostream.simulator.market.Market;
import com.portfoliostream.simulator.market.MarketClock;
import com.portfoliostream.simulator.market.MarketListener;
import com.portfoliostream.simulator.market.MarketPoint;
import com.portfoliostream.simulator.market.PriceWalk;
import com.portfoliostream.simulator.market.TradeEvent;
import com.portfoliostream.simulator.rest.ControlGuard;
import com.portfoliostream.simulator.rest.ControlRoutes;
import com.portfoliostream.simulator.rest.TradingRoutes;
import com.portfoliostream.simulator.stream.MarketDataServer;
import com.portfoliostream.simulator.stream.TradingStreamServer;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code simulator} role: an Alpaca-compatible broker on SIM_PORT (trading REST,
 * {@code /stream}, {@code /v2/{feed}}, and {@code /sim/control/...} for tests and benchmarks in
 * other JVMs). All state lives on this verticle's context; the Java API below may be called from
 * any thread and answers with futures.
 */
public final class SimulatorVerticle extends VerticleBase implements MarketListener {

  public static final int MAX_BODY_BYTES = 64 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(SimulatorVerticle.class);

  private final SimulatorSettings settings;
  private final String controlToken;
  private Market market;
  private MarketClock marketClock;
  private TradingStreamServer trading;
  private MarketDataServer marketData;
  private HttpServer server;
  private boolean available = true;
  private boolean wasOpen;

  public SimulatorVerticle(NodeContext node) {
    this(SimulatorSettings.from(node.config()));
  }

  public SimulatorVerticle(SimulatorSettings settings) {
    this.settings = settings;
    this.controlToken = settings.controlToken().isBlank() ? ControlGuard.randomToken() : settings.controlToken();
  }

  @Override
  public Future<?> start() {
    marketClock = new MarketClock(settings.clockMode(), Clock.systemUTC());
    market = new Market(Clock.systemUTC(), this::after, this,
        new PriceWalk(settings.seed(), settings.volatilityPercent()), marketClock::isOpen,
        settings.partialFillQty(), settings.partialFillDelayMs());
    market.openDemo();
    trading = new TradingStreamServer(market::account);
    marketData = new MarketDataServer(vertx, settings, market::account);
    startTimers();
    if (settings.controlToken().isBlank()) {
      // Generated for this run only, so the operator can drive the test tool; a configured token is never logged.
      LOG.info("Simulator control token (SIM_CONTROL_TOKEN unset, generated for this run): {}", controlToken);
    }
    HttpServerOptions options = new HttpServerOptions().setHost(settings.bindHost()).setPort(settings.port())
        .setMaxWebSocketMessageSize(MAX_BODY_BYTES).setIdleTimeout(0);
    return vertx.createHttpServer(options).requestHandler(router()).listen().map(s -> {
      server = s;
      LOG.info("Broker simulator listening on {}:{} (seed {}, tick {} ms, clock {})", settings.bindHost(),
          s.actualPort(), settings.seed(), settings.tickIntervalMs(), settings.clockMode());
      return null;
    });
  }

  public int actualPort() {
    return server.actualPort();
  }

  /** What {@code /sim/control} callers send as {@code Authorization: Bearer <token>}. */
  public String controlToken() {
    return controlToken;
  }

  /** Opens (or resets) the account of a key with cash and holdings (short: side "short", positive qty). */
  public Future<Void> addAccount(String keyId, String secret, BigDecimal cash, List<Holding> holdings) {
    return onContext(() -> market.addAccount(keyId, secret, cash, holdings)).mapEmpty();
  }

  /** Trades at a price: market-data subscribers see it, crossed orders fill. */
  public Future<Void> setPrice(String symbol, BigDecimal price) {
    return run(() -> market.setPrice(symbol, price));
  }

  /** One step of the random walk, whatever the tick interval. */
  public Future<Void> tick() {
    return run(market::tick);
  }

  /** Ends the simulated trading day: open day orders expire; last_equity becomes today's equity. */
  public Future<Void> closeDay() {
    return run(market::closeDay);
  }

  /** Cuts the key's trading streams without a close frame. */
  public Future<Void> dropTradingStreams(String keyId) {
    return run(() -> trading.drop(keyId));
  }

  /** Per key: its authenticated trading streams open now and the most ever open at once; see {@link TradingStreamServer#connectionCounts}. */
  public Future<JsonObject> tradingStreamCounts() {
    return onContext(trading::connectionCounts);
  }

  /** Cuts every key's trading streams at once, without a close frame (a broker's stream servers restarting). */
  public Future<Void> dropAllTradingStreams() {
    return run(() -> trading.drop(null));
  }

  /** Sends {@code event} (stopped, suspended or calculated) for an open order of the key; see {@link Market#exchangeEvent}. */
  public Future<Void> exchangeEvent(String keyId, String orderId, String event) {
    return read(keyId, account -> market.exchangeEvent(account, orderId,
        TradeEvent.valueOf(event.toUpperCase(java.util.Locale.ROOT)))).mapEmpty();
  }

  /** Gives or takes the key's SIP market-data subscription; without it {@code /v2/sip} answers 409. */
  public Future<Void> setSipSubscription(String keyId, boolean sip) {
    return read(keyId, account -> {
      account.setSipSubscription(sip);
      return null;
    });
  }

  /** false: "the broker is down": REST answers 503, streams are cut and new ones refused. */
  public Future<Void> setAvailable(boolean availableNow) {
    return run(() -> {
      available = availableNow;
      if (!availableNow) {
        trading.drop(null);
        marketData.dropAll();
      }
      LOG.info("Broker simulator {}", availableNow ? "available" : "unavailable");
    });
  }

  public Future<Void> pauseMarketData(boolean paused) {
    return run(() -> marketData.pause(paused));
  }

  /** Every order of the key, oldest first, as {@code GET /v2/orders} shows them. */
  public Future<JsonArray> orders(String keyId) {
    return read(keyId, a -> new JsonArray(a.orders().stream().map(AlpacaJson::order).map(Object.class::cast).toList()));
  }

  public Future<JsonArray> positions(String keyId) {
    return read(keyId, a -> new JsonArray(a.positions().stream().map(p -> (Object) AlpacaJson.position(p,
        market.prices().get(p.symbol()), market.lastdayPrice(p.symbol()))).toList()));
  }

  public Future<JsonObject> account(String keyId) {
    return read(keyId, a -> AlpacaJson.account(a, market.prices()));
  }

  /** Every FILL activity of the key, oldest first. */
  public Future<JsonArray> fills(String keyId) {
    return read(keyId, a -> new JsonArray(a.fills().stream().map(AlpacaJson::activity).map(Object.class::cast).toList()));
  }

  /**
   * Sends {@code message} as it is on the key's trading streams, as a broker could: for tests of a
   * client's handling of what the market itself never produces (a malformed or out-of-bounds event).
   */
  public Future<Void> sendTradeUpdate(String keyId, JsonObject message) {
    return run(() -> trading.tradeUpdate(keyId, message));
  }

  @Override
  public void tradeUpdate(String keyId, JsonObject message) {
    trading.tradeUpdate(keyId, message);
  }

  @Override
  public void prices(List<MarketPoint> points) {
    marketData.prices(points);
  }

  private Router router() {
    Router router = Router.router(vertx);
    router.route(TradingStreamServer.PATH).handler(ctx -> upgrade(ctx, trading::accept));
    router.route("/v2/:feed").handler(ctx -> {
      boolean feed = MarketDataServer.FEEDS.contains(ctx.pathParam("feed"));
      if (feed && "websocket".equalsIgnoreCase(ctx.request().getHeader("Upgrade"))) {
        upgrade(ctx, marketData::accept);
      } else {
        ctx.next();
      }
    });
    router.route().handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES));
    new ControlRoutes(this, new ControlGuard(controlToken, settings.bindHost(), this::actualPort)).mount(router);
    new TradingRoutes(market, marketClock, settings.requestsPerMinute(), () -> available).mount(router);
    return router;
  }

  private void upgrade(RoutingContext ctx, Handler<ServerWebSocket> accept) {
    if (!available) {
      ctx.response().setStatusCode(503).end();
      return;
    }
    ctx.request().toWebSocket().onSuccess(accept)
        .onFailure(e -> LOG.debug("WebSocket upgrade failed: {}", e.getMessage()));
  }

  private void startTimers() {
    if (settings.tickIntervalMs() > 0) {
      vertx.setPeriodic(settings.tickIntervalMs(), id -> market.tick());
    }
    marketData.startBars();
    wasOpen = marketClock.isOpen();
    vertx.setPeriodic(1_000, id -> {
      boolean open = marketClock.isOpen();
      if (wasOpen && !open) {
        market.closeDay();
      } else if (!wasOpen && open) {
        market.workOpenOrders();
      }
      wasOpen = open;
    });
  }

  private void after(long delayMs, Runnable action) {
    if (delayMs <= 0) {
      context.runOnContext(v -> action.run());
    } else {
      vertx.setTimer(delayMs, id -> action.run());
    }
  }

  private Future<Void> run(Runnable action) {
    return onContext(() -> {
      action.run();
      return null;
    });
  }

  private <T> Future<T> read(String keyId, Function<Account, T> view) {
    return onContext(() -> view.apply(market.account(keyId)
        .orElseThrow(() -> new NoSuchElementException("no simulator account for key " + keyId))));
  }

  private <T> Future<T> onContext(Supplier<T> work) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> {
      try {
        promise.complete(work.get());
      } catch (RuntimeException e) {
        promise.fail(e);
      }
    });
    return promise.future();
  }
}
