package com.portfoliostream.stream.orders;

import com.portfoliostream.web.Paths;
import com.portfoliostream.common.bus.UserEventBus;
import com.portfoliostream.common.bus.UserEventBus.Meta;
import com.portfoliostream.events.json.WireJson;
import com.portfoliostream.events.model.Order;
import com.portfoliostream.events.protocol.BusAddresses;
import com.portfoliostream.events.protocol.ServerEvents;
import com.portfoliostream.web.auth.AuthRoutes;
import com.portfoliostream.web.auth.SessionUser;
import com.portfoliostream.web.http.ApiError;
import com.portfoliostream.web.http.Responses;
import com.portfoliostream.stream.orders.OrderDesk.AlreadyFinal;
import com.portfoliostream.stream.orders.OrderDesk.CancelAccepted;
import com.portfoliostream.stream.orders.OrderDesk.KeyReused;
import com.portfoliostream.stream.orders.OrderDesk.NoAccount;
import com.portfoliostream.stream.orders.OrderDesk.NotFound;
import com.portfoliostream.stream.orders.OrderDesk.Placed;
import com.portfoliostream.stream.orders.OrderDesk.QueueFull;
import com.portfoliostream.stream.orders.OrderDesk.RateLimited;
import com.portfoliostream.stream.orders.OrderDesk.TooManyOpen;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@code POST /api/orders}, {@code GET /api/orders/{orderId}} and {@code DELETE /api/orders/{orderId}}:
 * orders and cancels are written with their job and answered 202; the workers of the
 * {@code orders} role are woken over the bus and carry them to the broker.
 */
public final class OrderRoutes {

  public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");
  private static final String RETRY_AFTER_SECONDS = "5";

  private final Vertx vertx;
  private final OrderDesk desk;
  private final Clock clock;

  public OrderRoutes(Vertx vertx, OrderDesk desk, Clock clock) {
    this.vertx = vertx;
    this.desk = desk;
    this.clock = clock;
  }

  public void mount(Router router) {
    router.post(Paths.ORDERS).handler(AuthRoutes::requireUser).handler(this::place);
    router.get(Paths.ORDER).handler(AuthRoutes::requireUser).handler(this::find);
    router.delete(Paths.ORDER).handler(AuthRoutes::requireUser).handler(this::cancel);
  }

  private void place(RoutingContext ctx) {
    String key = ctx.request().getHeader(IDEMPOTENCY_HEADER);
    if (key != null && !IDEMPOTENCY_KEY.matcher(key).matches()) {
      ApiError.INVALID_REQUEST.send(ctx, "The Idempotency-Key header must be 1-255 printable ASCII characters",
          Map.of(IDEMPOTENCY_HEADER, "1-255 printable ASCII characters, no spaces"));
      return;
    }
    Optional<JsonObject> body = jsonBody(ctx);
    if (body.isEmpty()) {
      ApiError.INVALID_REQUEST.send(ctx, "The body must be a JSON object {symbol, side, type, qty, timeInForce, ...}");
      return;
    }
    OrderForm.Result form = OrderForm.read(body.get());
    if (form.order().isEmpty()) {
      ApiError.INVALID_REQUEST.send(ctx, "The order is not valid", form.problems());
      return;
    }
    UUID user = userId(ctx);
    desk.place(user, form.order().get(), key).onSuccess(placement -> answer(ctx, user, placement)).onFailure(ctx::fail);
  }

  private void answer(RoutingContext ctx, UUID user, OrderDesk.Placement placement) {
    if (placement instanceof Placed placed) {
      if (placed.created()) {
        published(user, placed.order());
        wakeWorkers();
      }
      accepted(ctx, placed.order());
    } else if (placement instanceof NoAccount) {
      ApiError.NO_BROKER_ACCOUNT.send(ctx, "This user has no broker account to trade in");
    } else if (placement instanceof KeyReused reused) {
      ApiError.IDEMPOTENCY_KEY_REUSED.send(ctx,
          "This Idempotency-Key was used for a different order; use a new key for a new order",
          Map.of("orderId", reused.original().orderId()));
    } else if (placement instanceof RateLimited limited) {
      ctx.response().putHeader("Retry-After", Long.toString(limited.retryAfterSeconds()));
      ApiError.ORDER_RATE_LIMITED.send(ctx, "More than " + limited.perMinute() + " orders in a minute; try again later",
          Map.of("perMinute", limited.perMinute()));
    } else if (placement instanceof TooManyOpen open) {
      ctx.response().putHeader("Retry-After", "60");
      ApiError.OPEN_ORDER_LIMIT.send(ctx, "Too many open orders; cancel some or wait for them to fill",
          Map.of("open", open.open()));
    } else if (placement instanceof QueueFull full) {
      ctx.response().putHeader("Retry-After", RETRY_AFTER_SECONDS);
      ApiError.ORDER_QUEUE_FULL.send(ctx, "Too many orders are waiting for the broker; try again in a few seconds",
          Map.of("waiting", full.depth()));
    }
  }

  private void find(RoutingContext ctx) {
    Optional<UUID> id = orderId(ctx);
    if (id.isEmpty()) {
      notFound(ctx);
      return;
    }
    desk.find(userId(ctx), id.get()).onSuccess(order -> {
      if (order.isEmpty()) {
        notFound(ctx);
      } else {
        Responses.send(ctx, 200, WireJson.write(order.get()));
      }
    }).onFailure(ctx::fail);
  }

  private void cancel(RoutingContext ctx) {
    Optional<UUID> id = orderId(ctx);
    if (id.isEmpty()) {
      notFound(ctx);
      return;
    }
    UUID user = userId(ctx);
    desk.cancel(user, id.get()).onSuccess(cancellation -> answer(ctx, user, cancellation)).onFailure(ctx::fail);
  }

  private void answer(RoutingContext ctx, UUID user, OrderDesk.Cancellation cancellation) {
    if (cancellation instanceof NotFound) {
      notFound(ctx);
    } else if (cancellation instanceof AlreadyFinal done) {
      ApiError.ORDER_NOT_CANCELABLE.send(ctx,
          "The order is " + done.order().status().wire() + " already and cannot be canceled",
          Map.of("status", done.order().status().wire()));
    } else if (cancellation instanceof CancelAccepted accepted) {
      if (accepted.changed()) {
        published(user, accepted.order());
      }
      if (accepted.queued()) {
        wakeWorkers();
      }
      accepted(ctx, accepted.order());
    }
  }

  private void published(UUID user, Order order) {
    UserEventBus.publish(vertx, ServerEvents.orderUpdate(user.toString(), order, clock.instant()),
        Meta.of(order.updatedAt()));
  }

  private void wakeWorkers() {
    vertx.eventBus().publish(BusAddresses.ORDER_JOBS_READY, null);
  }

  private static void accepted(RoutingContext ctx, Order order) {
    ctx.response().putHeader("Location", Paths.order(order.orderId()));
    Responses.send(ctx, 202, WireJson.write(order));
  }

  private static void notFound(RoutingContext ctx) {
    ApiError.NOT_FOUND.send(ctx, "You have no order with this id");
  }

  private static Optional<JsonObject> jsonBody(RoutingContext ctx) {
    try {
      return Optional.ofNullable(ctx.body().asJsonObject());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Optional<UUID> orderId(RoutingContext ctx) {
    try {
      return Optional.of(UUID.fromString(ctx.pathParam("orderId")));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static UUID userId(RoutingContext ctx) {
    return SessionUser.of(ctx).orElseThrow().userId();
  }
}
