package com.portfoliostream.web.http;

import com.portfoliostream.common.db.DatabaseFailures;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
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
  /** Seconds a client is asked to wait when the database is unavailable: a few probes of it. */
  public static final String DATABASE_RETRY_AFTER_SECONDS = "5";
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
      if (!isJson(type)) {
        ApiError.UNSUPPORTED_MEDIA_TYPE.send(ctx, "State-changing requests must send Content-Type: application/json",
            Map.of("received", type == null ? "nothing" : type));
        return;
      }
    }
    ctx.next();
  }

  /** {@code application/json}, with at most a UTF-8 charset: {@code application/jsonx} is not JSON. */
  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String[] parts = contentType.split(";", -1);
    if (!parts[0].trim().equalsIgnoreCase("application/json")) {
      return false;
    }
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].trim().toLowerCase(Locale.ROOT).replace("\"", "");
      if (!parameter.equals("charset=utf-8")) {
        return false;
      }
    }
    return true;
  }

  /**
   * Refuses a path or query string that does not decode (a lone {@code %}, {@code %zz}) with 400
   * before the router or any handler decodes it: decoding it later throws, and that is the
   * client's mistake, not an error of ours.
   */
  public static void requireDecodableTarget(RoutingContext ctx) {
    try {
      QueryStringDecoder.decodeComponent(ctx.request().path(), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      ApiError.INVALID_REQUEST.send(ctx, "Malformed path: bad percent-encoding", Map.of("field", "path"));
      return;
    }
    String query = ctx.request().query();
    if (query != null && !query.isEmpty()) {
      try {
        new QueryStringDecoder(query, StandardCharsets.UTF_8, false).parameters();
      } catch (IllegalArgumentException e) {
        ApiError.INVALID_REQUEST.send(ctx, "Malformed query string: bad percent-encoding", Map.of("field", "query"));
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
      default -> failed(ctx);
    }
  }

  /**
   * A failure without a status: the client's own mistake (a body or chunking that does not decode)
   * is a 400 and one WARN line; a client that hung up gets nothing and costs a DEBUG line; a
   * database that is stopped or unreachable is a 503 with Retry-After and a DEBUG line (the
   * node's {@code DatabaseWatch} logs the outage once); anything else is ours, a 500 with the
   * stack trace in the log.
   */
  private static void failed(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (!ctx.response().closed() && !ctx.response().ended() && DatabaseFailures.isUnavailable(failure)) {
      LOG.debug("Request {} {} refused, the database is unavailable: {}", ctx.request().method(),
          ctx.request().path(), DatabaseFailures.summary(failure));
      ctx.response().putHeader("Retry-After", DATABASE_RETRY_AFTER_SECONDS);
      ApiError.DATABASE_UNAVAILABLE.send(ctx, "The portfolio database is unavailable just now; nothing was "
          + "changed, try again in a few seconds");
      return;
    }
    if (ctx.response().closed() || ctx.response().ended() || ClientMistakes.isHangUp(failure)) {
      LOG.debug("Request {} {} ended by the client: {}", ctx.request().method(), ctx.request().path(),
          String.valueOf(failure));
      return;
    }
    if (ClientMistakes.isMalformedInput(failure)) {
      LOG.warn("Refused a malformed request {} {}: {}", ctx.request().method(), ctx.request().path(),
          ClientMistakes.summary(failure));
      ApiError.INVALID_REQUEST.send(ctx, "Malformed request");
      return;
    }
    LOG.error("Request {} {} failed", ctx.request().method(), ctx.request().path(), failure);
    ApiError.INTERNAL_ERROR.send(ctx, "Something went wrong on our side; try again");
  }
}
