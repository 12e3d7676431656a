package com.portfoliostream.simulator.rest;

import com.portfoliostream.simulator.alpaca.AlpacaError;
import com.portfoliostream.simulator.alpaca.AlpacaError.AlpacaException;
import com.portfoliostream.simulator.alpaca.AlpacaJson;
import com.portfoliostream.simulator.alpaca.ApiKeyHeaders;
import com.portfoliostream.simulator.market.Account;
import com.portfoliostream.simulator.market.Fill;
import com.portfoliostream.simulator.market.Market;
import com.portfoliostream.simulator.market.MarketClock;
import com.portfoliostream.simulator.market.OrderRequest;
import com.portfoliostream.simulator.market.SimOrder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Alpaca's trading REST API over the simulated market: account, positions, orders, FILL
 * activities and the clock. Every answer is JSON as Alpaca's samples show; every error is
 * {@code {"code":...,"message":...}} with Alpaca's status. While the simulator is unavailable
 * every request gets 503.
 */
public final class TradingRoutes {

  /** A reply other than 200 with a JSON body. */
  private record Reply(int status, Object body) {}

  private final Market market;
  private final MarketClock clock;
  private final ApiKeyGuard guard;
  private final BooleanSupplier available;

  public TradingRoutes(Market market, MarketClock clock, int requestsPerMinute, BooleanSupplier available) {
    this.market = market;
    this.clock = clock;
    this.guard = new ApiKeyGuard(market::account, requestsPerMinute, System::nanoTime);
    this.available = available;
  }

  public void mount(Router router) {
    router.get("/v2/account").handler(authed((ctx, a) -> AlpacaJson.account(a, market.prices())));
    router.get("/v2/clock").handler(authed((ctx, a) -> clock.toJson()));
    router.get("/v2/positions").handler(authed((ctx, a) -> positions(a)));
    router.get("/v2/positions/:symbol").handler(authed(this::position));
    router.getWithRegex("/v2/orders:by_client_order_id").handler(authed(this::orderByClientId));
    router.post("/v2/orders").handler(authed((ctx, a) -> AlpacaJson.order(market.submit(a, OrderRequest.parse(body(ctx))))));
    router.get("/v2/orders").handler(authed(this::orders));
    router.delete("/v2/orders").handler(authed(this::cancelAll));
    router.get("/v2/orders/:id").handler(authed((ctx, a) -> AlpacaJson.order(order(a, ctx.pathParam("id")))));
    router.delete("/v2/orders/:id").handler(authed((ctx, a) -> {
      market.cancel(a, ctx.pathParam("id"));
      return new Reply(204, null);
    }));
    router.patch("/v2/orders/:id").handler(authed((ctx, a) ->
        AlpacaJson.order(market.replace(a, ctx.pathParam("id"), body(ctx)))));
    router.get("/v2/account/activities/FILL").handler(authed(this::fills));
    router.route("/v2/*").handler(authed((ctx, a) -> {
      throw AlpacaError.NOT_FOUND.exception();
    }));
  }

  private JsonArray positions(Account account) {
    JsonArray positions = new JsonArray();
    account.positions().forEach(p -> positions.add(AlpacaJson.position(p, market.prices().get(p.symbol()),
        market.lastdayPrice(p.symbol()))));
    return positions;
  }

  private Object position(RoutingContext ctx, Account account) {
    String symbol = ctx.pathParam("symbol").toUpperCase(Locale.ROOT);
    return account.position(symbol)
        .map(p -> AlpacaJson.position(p, market.prices().get(symbol), market.lastdayPrice(symbol)))
        .orElseThrow(AlpacaError.POSITION_NOT_FOUND::exception);
  }

  private Object orderByClientId(RoutingContext ctx, Account account) {
    String clientOrderId = ctx.queryParams().get("client_order_id");
    return account.orderByClientId(clientOrderId == null ? "" : clientOrderId).map(AlpacaJson::order)
        .orElseThrow(AlpacaError.ORDER_NOT_FOUND::exception);
  }

  private static SimOrder order(Account account, String id) {
    return account.order(id).orElseThrow(AlpacaError.ORDER_NOT_FOUND::exception);
  }

  private JsonArray orders(RoutingContext ctx, Account account) {
    String status = Queries.oneOf(ctx, "status", Set.of("open", "closed", "all"), "open");
    int limit = Queries.intInRange(ctx, "limit", 50, 1, 500);
    Instant after = Queries.instant(ctx, "after");
    Instant until = Queries.instant(ctx, "until");
    Queries.oneOf(ctx, "nested", Set.of("true", "false"), "false");
    String symbols = ctx.queryParams().get("symbols");
    Set<String> wanted = symbols == null || symbols.isBlank() ? Set.of()
        : Set.of(symbols.toUpperCase(Locale.ROOT).split(","));
    Stream<SimOrder> orders = account.orders().stream()
        .filter(o -> status.equals("all") || o.status().isTerminal() == status.equals("closed"))
        .filter(o -> Queries.within(o.createdAt(), after, until))
        .filter(o -> wanted.isEmpty() || wanted.contains(o.symbol()))
        .sorted(Queries.direction(ctx, Comparator.comparing(SimOrder::createdAt)));
    return new JsonArray(orders.limit(limit).map(AlpacaJson::order).map(Object.class::cast).toList());
  }

  private Reply cancelAll(RoutingContext ctx, Account account) {
    JsonArray results = new JsonArray();
    market.cancelAll(account).forEach(o -> results.add(new JsonObject().put("id", o.id()).put("status", 200)
        .put("body", AlpacaJson.order(o))));
    return new Reply(207, results);
  }

  /** FILL activities; {@code page_token} is the id of the last activity of the previous page. */
  private JsonArray fills(RoutingContext ctx, Account account) {
    Instant after = Queries.instant(ctx, "after");
    Instant until = Queries.instant(ctx, "until");
    int pageSize = Queries.intInRange(ctx, "page_size", 100, 1, 100);
    String pageToken = ctx.queryParams().get("page_token");
    List<Fill> fills = account.fills().stream()
        .filter(f -> Queries.within(f.transactionTime(), after, until))
        .sorted(Queries.direction(ctx, Comparator.comparing(Fill::transactionTime).thenComparing(Fill::activityId)))
        .toList();
    int start = 0;
    if (pageToken != null && !pageToken.isBlank()) {
      start = fills.stream().map(Fill::activityId).toList().indexOf(pageToken) + 1;
      if (start == 0) {
        throw AlpacaError.invalid("invalid page_token").exception();
      }
    }
    return new JsonArray(fills.stream().skip(start).limit(pageSize).map(AlpacaJson::activity)
        .map(Object.class::cast).toList());
  }

  /** The body with exact numbers (see {@link JsonBodies}); anything but a JSON object is a 422. */
  private static JsonObject body(RoutingContext ctx) {
    JsonObject body = ctx.body().length() == 0 ? null : JsonBodies.object(ctx.body().buffer());
    if (body == null) {
      throw AlpacaError.invalid("request body must be a JSON object").exception();
    }
    return body;
  }

  private io.vertx.core.Handler<RoutingContext> authed(BiFunction<RoutingContext, Account, Object> handler) {
    return ctx -> {
      try {
        if (!available.getAsBoolean()) {
          throw AlpacaError.UNAVAILABLE.exception();
        }
        Account account = guard.authenticate(ctx.request().getHeader(ApiKeyHeaders.KEY_ID),
            ctx.request().getHeader(ApiKeyHeaders.SECRET_KEY));
        reply(ctx, handler.apply(ctx, account));
      } catch (AlpacaException e) {
        reply(ctx, error(e.error()));
      }
    };
  }

  /** The reply of an error: its status, Alpaca's body. */
  static Object error(AlpacaError error) {
    return new Reply(error.status(), error.body());
  }

  static void reply(RoutingContext ctx, Object result) {
    Reply reply = result instanceof Reply r ? r : new Reply(200, result);
    if (reply.body() == null) {
      ctx.response().setStatusCode(reply.status()).end();
      return;
    }
    String json = reply.body() instanceof JsonArray array ? array.encode() : ((JsonObject) reply.body()).encode();
    ctx.response().setStatusCode(reply.status()).putHeader("Content-Type", "application/json; charset=UTF-8")
        .end(json);
  }
}
