package com.portfoliostream.admin.manage;

import com.portfoliostream.web.auth.SessionUser;
import com.portfoliostream.web.http.ApiError;
import com.portfoliostream.web.http.ClientAddress;
import com.portfoliostream.web.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The admin API under {@code /api/admin/}: users, broker accounts, the real-time rollout and the
 * audit log, over {@link Administration}. Mounted behind the admin check and CSRF (as every
 * {@code /api/} route); every call is audited as the signed-in admin from the client's address. A
 * refusal is a 4xx with the fields at fault ({@link Refusal}); no answer carries a secret.
 */
public final class AdminRoutes {

  public static final String PREFIX = "/api/admin";

  private final Administration admin;
  private final ClientAddress clients;

  public AdminRoutes(Administration admin, ClientAddress clients) {
    this.admin = admin;
    this.clients = clients;
  }

  public void mount(Router router) {
    router.get(PREFIX + "/users").handler(ctx -> answer(ctx, 200, actor -> admin.listUsers(actor, ctx.queryParams().get("after"))));
    router.post(PREFIX + "/users").handler(ctx -> withBody(ctx, 201, (actor, body) ->
        admin.createUser(actor, text(body, "username"), text(body, "password"), text(body, "role"))));
    router.post(PREFIX + "/users/:username/disable").handler(ctx -> notSelf(ctx, "disable", actor ->
        admin.disableUser(actor, ctx.pathParam("username"))));
    router.post(PREFIX + "/users/:username/enable").handler(ctx -> answer(ctx, 200, actor ->
        admin.enableUser(actor, ctx.pathParam("username"))));
    router.post(PREFIX + "/users/:username/password").handler(ctx -> withBody(ctx, 200, (actor, body) ->
        admin.resetPassword(actor, ctx.pathParam("username"), text(body, "password"))));
    router.delete(PREFIX + "/users/:username").handler(ctx -> notSelf(ctx, "delete", actor ->
        admin.deleteUser(actor, ctx.pathParam("username"))));
    router.put(PREFIX + "/users/:username/account").handler(ctx -> withBody(ctx, 201, (actor, body) ->
        admin.linkAccount(actor, ctx.pathParam("username"), text(body, "environment"), text(body, "keyId"), text(body, "secret"))));
    router.post(PREFIX + "/users/:username/account/secret").handler(ctx -> withBody(ctx, 200, (actor, body) ->
        admin.rotateSecret(actor, ctx.pathParam("username"), text(body, "secret"))));
    router.post(PREFIX + "/users/:username/account/test").handler(ctx -> answer(ctx, 200, actor ->
        admin.testAccount(actor, ctx.pathParam("username"))));
    router.delete(PREFIX + "/users/:username/account").handler(ctx -> answer(ctx, 200, actor ->
        admin.unlinkAccount(actor, ctx.pathParam("username"))));
    router.get(PREFIX + "/rollout").handler(ctx -> answer(ctx, 200, admin::rollout));
    router.put(PREFIX + "/rollout").handler(ctx -> withBody(ctx, 200, (actor, body) -> {
      Object enabled = body.getValue("enabled");
      Object percentage = body.getValue("percentage");
      if (enabled != null && !(enabled instanceof Boolean) || percentage != null && !(percentage instanceof Integer)) {
        return Future.failedFuture(Refusal.invalid("The rollout cannot be set so",
            Map.of("enabled", "true or false", "percentage", "a whole number from 0 to 100")));
      }
      return admin.setRollout(actor, (Boolean) enabled, (Integer) percentage);
    }));
    router.put(PREFIX + "/rollout/users/:username").handler(ctx -> withBody(ctx, 200, (actor, body) ->
        admin.listUser(actor, ctx.pathParam("username"), text(body, "list") == null ? "" : text(body, "list"))));
    router.delete(PREFIX + "/rollout/users/:username").handler(ctx -> answer(ctx, 200, actor ->
        admin.listUser(actor, ctx.pathParam("username"), null)));
    router.get(PREFIX + "/audit").handler(this::audit);
  }

  private void audit(RoutingContext ctx) {
    Long before;
    int limit;
    try {
      String b = ctx.queryParams().get("before");
      String l = ctx.queryParams().get("limit");
      before = b == null ? null : Long.parseLong(b);
      limit = l == null ? 100 : Integer.parseInt(l);
      if (limit < 1 || limit > AuditLog.MAX_PAGE) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      ApiError.INVALID_REQUEST.send(ctx, "limit is 1.." + AuditLog.MAX_PAGE + " and before an entry id",
          Map.of("limit", "1.." + AuditLog.MAX_PAGE, "before", "an entry id"));
      return;
    }
    admin.audit(limit, before).onSuccess(page -> Responses.send(ctx, 200,
            new JsonObject().put("entries", page).encode()))
        .onFailure(ctx::fail);
  }

  /** An admin does not disable or delete themselves (someone else must be able to undo it). */
  private void notSelf(RoutingContext ctx, String what, Function<Actor, Future<?>> call) {
    if (SessionUser.of(ctx).map(SessionUser::username).orElse("").equals(ctx.pathParam("username"))) {
      ApiError.CONFLICT.send(ctx, "You cannot " + what + " your own account; ask another admin");
      return;
    }
    answer(ctx, 200, call);
  }

  private void withBody(RoutingContext ctx, int status, java.util.function.BiFunction<Actor, JsonObject, Future<?>> call) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      body = null;
    }
    if (body == null) {
      ApiError.INVALID_REQUEST.send(ctx, "The body must be a JSON object");
      return;
    }
    JsonObject given = body;
    answer(ctx, status, actor -> call.apply(actor, given));
  }

  private void answer(RoutingContext ctx, int status, Function<Actor, Future<?>> call) {
    Actor actor = new Actor(SessionUser.of(ctx).map(SessionUser::username).orElse("?"), clients.of(ctx.request()));
    Future<?> result;
    try {
      result = call.apply(actor);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onSuccess(value -> Responses.send(ctx, status, value instanceof io.vertx.core.json.JsonArray array
            ? new JsonObject().put("items", array).encode() : String.valueOf(((JsonObject) value).encode())))
        .onFailure(e -> {
          if (e instanceof Refusal refusal) {
            send(ctx, refusal);
          } else {
            ctx.fail(e);
          }
        });
  }

  static void send(RoutingContext ctx, Refusal refusal) {
    ApiError error = switch (refusal.kind()) {
      case INVALID -> ApiError.INVALID_REQUEST;
      case NOT_FOUND -> ApiError.NOT_FOUND;
      case CONFLICT -> ApiError.CONFLICT;
      case BROKER_REFUSED -> ApiError.BROKER_REFUSED;
    };
    error.send(ctx, refusal.getMessage(), new LinkedHashMap<>(refusal.details()));
  }

  /** The field's text, or null when absent or not a string (the operation says what is wrong). */
  private static String text(JsonObject body, String field) {
    return body.getValue(field) instanceof String s ? s : null;
  }
}
