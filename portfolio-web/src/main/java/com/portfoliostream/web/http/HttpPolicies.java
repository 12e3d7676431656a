package com.portfoliostream.web.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request rules of the REST API, and the one mapping of failures to JSON errors.
 */
public final class HttpPolicies {

  /** Context key set while the CSRF handler runs, so its 403s are told apart from others. */
  public static final String CSRF_STAGE = "portfolio.csrf-stage";
  private static final Logger LOG = LoggerFactory.getLogger(HttpPolicies.class);
  private static final Set<HttpMethod> WITH_BODY = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH);

  private HttpPolicies() {}

  /**
   * State-changing calls must say they send JSON: a cross-site form cannot, so this is half of
   * the CSRF defence (the token is the other half).
   */
  public static void requireJson(RoutingContext ctx) {
    if (WITH_BODY.contains(ctx.request().method())) {
      String type = ctx.request().getHeader("Content-Type");
      if (type == null || !type.toLowerCase().startsWith("application/json")) {
        ApiError.UNSUPPORTED_MEDIA_TYPE.send(ctx, "State-changing requests must send Content-Type: application/json",
            Map.of("received", type == null ? "nothing" : type));
        return;
      }
    }
    ctx.next();
  }

  public static void enterCsrf(RoutingContext ctx) {
    ctx.put(CSRF_STAGE, Boolean.TRUE);
    ctx.next();
  }

  public static void leaveCsrf(RoutingContext ctx) {
    ctx.remove(CSRF_STAGE);
    ctx.next();
  }

  /** Maps any failure to a JSON error; details of internal errors go to the log, not the client. */
  public static void handleFailure(RoutingContext ctx) {
    int status = ctx.statusCode();
    if (Boolean.TRUE.equals(ctx.get(CSRF_STAGE)) && status == 403) {
      ApiError.CSRF_TOKEN_INVALID.send(ctx,
          "Missing or invalid CSRF token: echo the XSRF-TOKEN cookie in the X-XSRF-TOKEN header");
      return;
    }
    switch (status) {
      case 400 -> ApiError.INVALID_REQUEST.send(ctx, "Malformed request");
      case 401 -> ApiError.UNAUTHENTICATED.send(ctx, "Sign in first");
      case 403 -> ApiError.FORBIDDEN.send(ctx, "Not allowed");
      case 404 -> ApiError.NOT_FOUND.send(ctx, "No such resource");
      case 413 -> ApiError.INVALID_REQUEST.send(ctx, "Request body too large");
      default -> {
        LOG.error("Request {} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
        ApiError.INTERNAL_ERROR.send(ctx, "Something went wrong on our side; try again");
      }
    }
  }
}
