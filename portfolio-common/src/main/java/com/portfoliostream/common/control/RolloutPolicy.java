package com.portfoliostream.common.control;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;
import java.util.UUID;

/**
 * Who streams, on top of ENABLE_REALTIME_PORTFOLIO: nobody while {@code enabled} is false (the
 * rollback); otherwise a user on the allowlist, else not one on the denylist whose
 * {@link #bucket} is below {@code percentage}. The bucket is a stable hash of the user id, so
 * raising the percentage only ever adds users, and every node agrees.
 */
public record RolloutPolicy(boolean enabled, int percentage, Set<UUID> allow, Set<UUID> deny, long version) {

  public static final int BUCKETS = 100;
  /** Everyone: the policy of a node that has not read the table yet, and the table's default. */
  public static final RolloutPolicy EVERYONE = new RolloutPolicy(true, 100, Set.of(), Set.of(), 0);

  public RolloutPolicy {
    if (percentage < 0 || percentage > 100) {
      throw new IllegalArgumentException("percentage must be 0..100");
    }
    allow = Set.copyOf(allow);
    deny = Set.copyOf(deny);
  }

  public boolean admits(UUID userId) {
    if (!enabled) {
      return false;
    }
    if (allow.contains(userId)) {
      return true;
    }
    return !deny.contains(userId) && bucket(userId) < percentage;
  }

  /** 0..99: the first four bytes of SHA-256 of the id's text, unsigned, modulo 100. */
  public static int bucket(UUID userId) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(userId.toString().getBytes(StandardCharsets.US_ASCII));
      long value = ((digest[0] & 0xFFL) << 24) | ((digest[1] & 0xFFL) << 16) | ((digest[2] & 0xFFL) << 8) | (digest[3] & 0xFFL);
      return (int) (value % BUCKETS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }
}
