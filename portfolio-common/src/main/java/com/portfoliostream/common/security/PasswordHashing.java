package com.portfoliostream.common.security;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.auth.hashing.HashString;
import io.vertx.ext.auth.hashing.HashingAlgorithm;
import io.vertx.ext.auth.hashing.HashingStrategy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * PBKDF2-HMAC-SHA512 password hashes in PHC string form ({@code $pbkdf2$it=...$salt$hash}),
 * through vertx-auth-common. Hashing is deliberately slow (~0.1 s): the blocking methods run on a
 * worker, the {@code Future} ones put them there.
 */
public final class PasswordHashing {

  /** OWASP's 2023 figure for PBKDF2-HMAC-SHA512. */
  public static final int ITERATIONS = 210_000;
  private static final String ALGORITHM = "pbkdf2";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final HashingStrategy strategy = HashingStrategy.load();

  /** Blocking. */
  public String hash(String password) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    String encodedSalt = Base64.getEncoder().withoutPadding().encodeToString(salt);
    return strategy.hash(ALGORITHM, Map.of("it", Integer.toString(ITERATIONS)), encodedSalt, password);
  }

  /** Blocking. False for a wrong password and for a hash that is not one of ours. */
  public boolean verify(String storedHash, String password) {
    HashString stored;
    try {
      stored = new HashString(storedHash);
    } catch (RuntimeException e) {
      return false;
    }
    HashingAlgorithm algorithm = strategy.get(stored.id());
    if (algorithm == null || stored.hash() == null) {
      return false;
    }
    String computed = algorithm.hash(stored, password);
    return MessageDigest.isEqual(computed.getBytes(StandardCharsets.UTF_8),
        stored.hash().getBytes(StandardCharsets.UTF_8));
  }

  public Future<String> hash(Vertx vertx, String password) {
    return vertx.executeBlocking(() -> hash(password), false);
  }

  public Future<Boolean> verify(Vertx vertx, String storedHash, String password) {
    return vertx.executeBlocking(() -> verify(storedHash, password), false);
  }
}
