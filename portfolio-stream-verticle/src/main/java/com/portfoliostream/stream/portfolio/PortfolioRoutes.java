package com.portfoliostream.stream.portfolio;

import com.portfoliostream.web.Paths;
import com.portfoliostream.events.json.WireJson;
import com.portfoliostream.web.auth.AuthRoutes;
import com.portfoliostream.web.auth.SessionUser;
import com.portfoliostream.web.http.ApiError;
import com.portfoliostream.web.http.Responses;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The REST fallback and source of truth: {@code /api/positions}, {@code /api/orders},
 * {@code /api/account}, {@code /api/trades}. Every answer is the signed-in user's own data.
 */
public final class PortfolioRoutes {

  private final PortfolioReader reader;
  private final Clock clock;

  public PortfolioRoutes(PortfolioReader reader, Clock clock) {
    this.reader = reader;
    this.clock = clock;
  }

  public void mount(Router router) {
    router.get(Paths.POSITIONS).handler(AuthRoutes::requireUser).handler(this::positions);
    router.get(Paths.ORDERS).handler(AuthRoutes::requireUser).handler(this::orders);
    router.get(Paths.ACCOUNT).handler(AuthRoutes::requireUser).handler(this::account);
    router.get(Paths.TRADES).handler(AuthRoutes::requireUser).handler(this::trades);
  }

  private void positions(RoutingContext ctx) {
    respond(ctx, reader.positions(userId(ctx)));
  }

  private void orders(RoutingContext ctx) {
    String status = ctx.request().getParam("status", "all").toLowerCase(Locale.ROOT);
    PortfolioReader.OrderFilter filter;
    try {
      filter = PortfolioReader.OrderFilter.valueOf(status.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      ApiError.INVALID_REQUEST.send(ctx, "status must be open, closed or all",
          Map.of("parameter", "status", "received", status));
      return;
    }
    respond(ctx, reader.orders(userId(ctx), filter));
  }

  private void account(RoutingContext ctx) {
    reader.account(userId(ctx)).onSuccess(account -> {
      if (account.isEmpty()) {
        ApiError.NOT_FOUND.send(ctx, "This user has no broker account");
      } else {
        send(ctx, account.get());
      }
    }).onFailure(ctx::fail);
  }

  private void trades(RoutingContext ctx) {
    String since = ctx.request().getParam("since");
    Instant from;
    try {
      from = since == null ? PortfolioReader.startOfTradingDay(clock.instant()) : WireJson.parseInstant(since);
    } catch (DateTimeParseException e) {
      ApiError.INVALID_REQUEST.send(ctx, "since must be an ISO-8601 instant such as 2026-01-04T14:30:00Z",
          Map.of("parameter", "since", "received", since));
      return;
    }
    respond(ctx, reader.trades(userId(ctx), from));
  }

  private static UUID userId(RoutingContext ctx) {
    return SessionUser.of(ctx).orElseThrow().userId();
  }

  private static void respond(RoutingContext ctx, Future<?> result) {
    result.onSuccess(value -> send(ctx, value)).onFailure(ctx::fail);
  }

  private static void send(RoutingContext ctx, Object value) {
    Responses.send(ctx, 200, WireJson.write(value));
  }
}
