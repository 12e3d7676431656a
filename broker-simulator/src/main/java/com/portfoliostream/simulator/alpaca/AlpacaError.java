package com.portfoliostream.simulator.alpaca;

import io.vertx.core.json.JsonObject;

/**
 * An Alpaca REST error: the HTTP status and the body {@code {"code":...,"message":...}}. The codes
 * are Alpaca's eight-digit ones (HTTP status, then a detail number), defined here once.
 */
public record AlpacaError(int status, int code, String message) {

  public static final AlpacaError FORBIDDEN = new AlpacaError(403, 40310000, "forbidden");
  public static final AlpacaError UNAUTHORIZED = new AlpacaError(401, 40110000, "request is not authorized");
  public static final AlpacaError INSUFFICIENT_BUYING_POWER =
      new AlpacaError(403, 40310000, "insufficient buying power");
  public static final AlpacaError ORDER_NOT_FOUND = new AlpacaError(404, 40410000, "order not found");
  public static final AlpacaError POSITION_NOT_FOUND = new AlpacaError(404, 40410000, "position does not exist");
  public static final AlpacaError NOT_FOUND = new AlpacaError(404, 40410000, "endpoint not found");
  public static final AlpacaError DUPLICATE_CLIENT_ORDER_ID =
      new AlpacaError(422, 40010001, "client_order_id must be unique");
  public static final AlpacaError RATE_LIMITED = new AlpacaError(429, 42910000, "rate limit exceeded");
  public static final AlpacaError UNAVAILABLE = new AlpacaError(503, 50310000, "service unavailable");
  /** The control API's own refusals, in Alpaca's shape (the codes follow the same status-then-detail rule). */
  public static final AlpacaError CONTROL_UNAUTHORIZED =
      new AlpacaError(401, 40110000, "Authorization must be Bearer <SIM_CONTROL_TOKEN>");
  public static final AlpacaError CONTROL_NOT_JSON =
      new AlpacaError(415, 41510000, "Content-Type must be application/json");
  public static final AlpacaError CONTROL_WRONG_HOST =
      new AlpacaError(421, 42110000, "Host must be this simulator's own address and port");

  /** 422: a field of the request is missing or wrong (the SDK fixture's "qty or notional is required"). */
  public static AlpacaError invalid(String message) {
    return new AlpacaError(422, 40010001, message);
  }

  /** 400: a field of a control request is missing or wrong; the message names it. */
  public static AlpacaError badControlField(String message) {
    return new AlpacaError(400, 40010000, message);
  }

  /** 422: the order can no longer be canceled or replaced. */
  public static AlpacaError notCancelable(String status) {
    return new AlpacaError(422, 42210000, "order is already in \"" + status + "\" state");
  }

  public JsonObject body() {
    return new JsonObject().put("code", code).put("message", message);
  }

  /** Thrown by the market and caught by the REST layer, which answers with the error. */
  public AlpacaException exception() {
    return new AlpacaException(this);
  }

  /** An {@link AlpacaError} as an exception; no stack trace: it is an answer, not a fault. */
  public static final class AlpacaException extends RuntimeException {
    private final transient AlpacaError error;

    AlpacaException(AlpacaError error) {
      super(error.message(), null, false, false);
      this.error = error;
    }

    public AlpacaError error() {
      return error;
    }
  }
}
