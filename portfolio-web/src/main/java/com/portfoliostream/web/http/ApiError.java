package com.portfoliostream.web.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * Every error a REST caller can get, with its HTTP status, defined once. The body is always
 * {@code {"error": {"code", "message", "details"?}}}.
 */
public enum ApiError {
  INVALID_REQUEST(400),
  UNAUTHENTICATED(401),
  INVALID_CREDENTIALS(401),
  FORBIDDEN(403),
  CSRF_TOKEN_INVALID(403),
  ORIGIN_NOT_ALLOWED(403),
  ACCOUNT_DISABLED(403),
  NOT_FOUND(404),
  /** An administrative change that contradicts what is stored (a duplicate user, a second broker account). */
  CONFLICT(409),
  NO_BROKER_ACCOUNT(409),
  IDEMPOTENCY_KEY_REUSED(409),
  ORDER_NOT_CANCELABLE(409),
  UNSUPPORTED_MEDIA_TYPE(415),
  TOO_MANY_ATTEMPTS(429),
  ORDER_RATE_LIMITED(429),
  OPEN_ORDER_LIMIT(429),
  CLIENT_REPORTS_RATE_LIMITED(429),
  INTERNAL_ERROR(500),
  /** The broker refused the credentials an administrator tried to link, or could not be asked. */
  BROKER_REFUSED(502),
  REALTIME_DISABLED(503),
  ORDER_QUEUE_FULL(503),
  SIGN_IN_BUSY(503),
  SESSIONS_FULL(503),
  /** The database is stopped, restarting or unreachable: nothing was written; retry after Retry-After. */
  DATABASE_UNAVAILABLE(503);

  private final int status;

  ApiError(int status) {
    this.status = status;
  }

  public int status() {
    return status;
  }

  public void send(RoutingContext ctx, String message) {
    send(ctx, message, Map.of());
  }

  public void send(RoutingContext ctx, String message, Map<String, Object> details) {
    JsonObject error = new JsonObject().put("code", name()).put("message", message);
    if (!details.isEmpty()) {
      error.put("details", new JsonObject(details));
    }
    Responses.send(ctx, status, new JsonObject().put("error", error).encode());
  }
}
