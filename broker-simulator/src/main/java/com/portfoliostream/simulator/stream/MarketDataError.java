package com.portfoliostream.simulator.stream;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Alpaca's market-data stream errors, as the md_error_* samples show them. 408 (v2 not enabled)
 * concerns legacy accounts without v2 streaming, which the simulator does not have.
 */
public enum MarketDataError {
  INVALID_SYNTAX(400, "invalid syntax"),
  NOT_AUTHENTICATED(401, "not authenticated"),
  AUTH_FAILED(402, "auth failed"),
  ALREADY_AUTHENTICATED(403, "already authenticated"),
  AUTH_TIMEOUT(404, "auth timeout"),
  SYMBOL_LIMIT_EXCEEDED(405, "symbol limit exceeded"),
  CONNECTION_LIMIT_EXCEEDED(406, "connection limit exceeded"),
  SLOW_CLIENT(407, "slow client"),
  INSUFFICIENT_SUBSCRIPTION(409, "insufficient subscription");

  private final int code;
  private final String msg;

  MarketDataError(int code, String msg) {
    this.code = code;
    this.msg = msg;
  }

  public int code() {
    return code;
  }

  /** The whole frame: {@code [{"T":"error","code":...,"msg":"..."}]}. */
  public String frame() {
    return new JsonArray().add(new JsonObject().put("T", "error").put("code", code).put("msg", msg)).encode();
  }
}
