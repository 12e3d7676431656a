package com.portfoliostream.broker.rest;

/**
 * A failed Alpaca REST call: the HTTP status (0 when no answer came: timeout, refused connection),
 * Alpaca's error code and message when it sent them. {@link #retryable()} separates what may work
 * on a later attempt (no answer, 429, 5xx) from what never will (401, 403, 404, 422, ...).
 */
public final class AlpacaApiException extends RuntimeException {

  public static final int NO_ANSWER = 0;

  private final int status;
  private final Long code;
  private final String brokerMessage;

  public AlpacaApiException(int status, Long code, String brokerMessage, String describedCall) {
    super(describedCall + " failed: " + (status == NO_ANSWER ? "no answer" : "HTTP " + status)
        + (brokerMessage == null ? "" : " " + brokerMessage) + (code == null ? "" : " (code " + code + ")"));
    this.status = status;
    this.code = code;
    this.brokerMessage = brokerMessage;
  }

  public int status() {
    return status;
  }

  public Long code() {
    return code;
  }

  /** The broker's own words, for the user (a rejection reason); falls back to the status. */
  public String brokerMessage() {
    return brokerMessage != null ? brokerMessage : (status == NO_ANSWER ? "broker did not answer" : "HTTP " + status);
  }

  public boolean retryable() {
    return status == NO_ANSWER || status == 429 || status >= 500;
  }

  public boolean notFound() {
    return status == 404;
  }
}
