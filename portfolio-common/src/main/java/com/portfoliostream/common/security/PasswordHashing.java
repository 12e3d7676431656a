package com.portfoliostream.common.security;

import com.portfoliostream.common.config.NodeConfig;
import com.portfoliostream.common.config.Setting;
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
 * worker, the {@code Future} ones put them there. New hashes take the iterations this instance was
 * made with (PASSWORD_HASH_ITERATIONS); verifying reads the count stored in the hash, so hashes
 * made with another count keep working.
 */
public final class PasswordHashing {

  /** OWASP's 2023 figure for PBKDF2-HMAC-SHA512: the default of PASSWORD_HASH_ITERATIONS. */
  public static final int ITERATIONS = 210_000;
  /** The fewest iterations a node may be told to use (benchmarks only). */
  public static final int MIN_ITERATIONS = 10_000;
  public static final int MAX_ITERATIONS = 10_000_000;
  private static final String ALGORITHM = "pbkdf2";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final HashingStrategy strategy = HashingStrategy.load();
  private final int iterations;

  /** New hashes with the default {@link #ITERATIONS}. */
  public PasswordHashing() {
    this(ITERATIONS);
  }

  public PasswordHashing(int iterations) {
    if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
      throw new IllegalArgumentException("PBKDF2 iterations must be from " + MIN_ITERATIONS + " to " + MAX_ITERATIONS
          + ", got " + iterations);
    }
    this.iterations = iterations;
  }

  /** New hashes with the node's PASSWORD_HASH_ITERATIONS. */
  public static PasswordHashing fromConfig(NodeConfig config) {
    return new PasswordHashing(config.settings().integer(Setting.PASSWORD_HASH_ITERATIONS));
  }

  /** The iterations of the hashes this instance makes. */
  public int iterations() {
    return iterations;
  }

  /** True when new hashes are cheaper to guess than the default makes them: for benchmarks only. */
  public boolean belowDefault() {
    return iterations < ITERATIONS;
  }

  /** Blocking. */
  public String hash(String password) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    String encodedSalt = Base64.getEncoder().withoutPadding().encodeToString(salt);
    return strategy.hash(ALGORITHM, Map.of("it", Integer.toString(iterations)), encodedSalt, password);
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
