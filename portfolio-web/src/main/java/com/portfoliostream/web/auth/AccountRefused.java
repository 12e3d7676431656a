package com.portfoliostream.web.auth;

import java.util.Map;

/**
 * Why {@link UserAccounts} did not create an account; nothing was written. An admin API maps
 * {@link Reason#INVALID} to 400 with {@link #problems()} as details, and
 * {@link Reason#USERNAME_TAKEN} to 409. The message never holds the password.
 */
public final class AccountRefused extends RuntimeException {

  public enum Reason { INVALID, USERNAME_TAKEN }

  private final Reason reason;
  private final Map<String, String> problems;

  private AccountRefused(Reason reason, Map<String, String> problems, String message) {
    super(message, null, false, false);
    this.reason = reason;
    this.problems = Map.copyOf(problems);
  }

  static AccountRefused invalid(Map<String, String> problems) {
    return new AccountRefused(Reason.INVALID, problems, "account refused: " + problems);
  }

  static AccountRefused taken(String username) {
    return new AccountRefused(Reason.USERNAME_TAKEN, Map.of("username", "taken"),
        "account refused: username '" + username + "' is taken");
  }

  public Reason reason() {
    return reason;
  }

  /** Field (username, password, role) → what is wrong with it. */
  public Map<String, String> problems() {
    return problems;
  }
}
