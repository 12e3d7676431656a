package com.portfoliostream.admin.manage;

import java.util.Map;

/**
 * An administrative change refused, and why: nothing was written. The kind decides the HTTP status
 * of the API and the exit code of the CLI; the message and details never quote a password or secret.
 */
public final class Refusal extends RuntimeException {

  /** Why, with the API's status and the CLI's exit code. */
  public enum Kind {
    INVALID(400, 3), NOT_FOUND(404, 4), CONFLICT(409, 5), BROKER_REFUSED(502, 6);

    public final int status;
    public final int exitCode;

    Kind(int status, int exitCode) {
      this.status = status;
      this.exitCode = exitCode;
    }
  }

  private final Kind kind;
  private final Map<String, String> details;

  public Refusal(Kind kind, String message, Map<String, String> details) {
    super(message, null, false, false);
    this.kind = kind;
    this.details = Map.copyOf(details);
  }

  public static Refusal invalid(String message, Map<String, String> details) {
    return new Refusal(Kind.INVALID, message, details);
  }

  public static Refusal notFound(String message) {
    return new Refusal(Kind.NOT_FOUND, message, Map.of());
  }

  public static Refusal conflict(String message) {
    return new Refusal(Kind.CONFLICT, message, Map.of());
  }

  public Kind kind() {
    return kind;
  }

  public Map<String, String> details() {
    return details;
  }
}
