package com.portfoliostream.web.auth;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a username is, for sign-in and for new accounts alike. Sign-in trims and lower-cases what
 * it is given before it looks the name up, so a stored name is already in that form; the pattern
 * is the users table's own check (the V1 migration), so nothing it would refuse reaches it.
 */
public final class Usernames {

  /** The longest name sign-in accepts, and the table holds. */
  public static final int MAX_LENGTH = 64;
  private static final Pattern FORMAT = Pattern.compile("[a-z0-9][a-z0-9_.-]{1," + (MAX_LENGTH - 1) + "}");

  private Usernames() {}

  /** The form sign-in looks a typed name up by. */
  public static String normalize(String typed) {
    return typed.trim().toLowerCase(Locale.ROOT);
  }

  /** Why {@code username} cannot name a new account; empty when it can. */
  public static Optional<String> problem(String username) {
    if (username == null || username.isEmpty()) {
      return Optional.of("required");
    }
    if (username.length() > MAX_LENGTH) {
      return Optional.of("at most " + MAX_LENGTH + " characters");
    }
    if (!username.equals(normalize(username))) {
      return Optional.of("lower case, without surrounding spaces: sign-in looks names up that way");
    }
    if (!FORMAT.matcher(username).matches()) {
      return Optional.of("2 to " + MAX_LENGTH + " of a-z, 0-9, '_', '.', '-', starting with a letter or digit");
    }
    return Optional.empty();
  }
}
