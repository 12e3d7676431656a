package com.portfoliostream.simulator.rest;

import com.portfoliostream.simulator.alpaca.AlpacaError;
import com.portfoliostream.simulator.alpaca.ApiKeyHeaders;
import com.portfoliostream.simulator.market.Account;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Alpaca's REST authentication and rate limit: the {@link ApiKeyHeaders} (missing: 403
 * forbidden; unknown key or wrong secret: 401), then a token bucket per key holding a minute's worth of requests (empty: 429). The buckets are
 * bounded by the number of accounts: only authenticated keys get one.
 */
final class ApiKeyGuard {

  private static final long MINUTE_NANOS = 60_000_000_000L;

  private final Function<String, Optional<Account>> accounts;
  private final int requestsPerMinute;
  private final LongSupplier nanoTime;
  private final Map<String, Bucket> buckets = new HashMap<>();

  private static final class Bucket {
    double tokens;
    long refilledAt;
  }

  ApiKeyGuard(Function<String, Optional<Account>> accounts, int requestsPerMinute, LongSupplier nanoTime) {
    this.accounts = accounts;
    this.requestsPerMinute = requestsPerMinute;
    this.nanoTime = nanoTime;
  }

  /** The account the headers authenticate, or the error to answer with. */
  Account authenticate(String keyId, String secret) {
    if (keyId == null || secret == null || keyId.isBlank() || secret.isBlank()) {
      throw AlpacaError.FORBIDDEN.exception();
    }
    Account account = accounts.apply(keyId).filter(a -> a.secretMatches(secret))
        .orElseThrow(AlpacaError.UNAUTHORIZED::exception);
    if (!take(keyId)) {
      throw AlpacaError.RATE_LIMITED.exception();
    }
    return account;
  }

  /** Refills the key's bucket continuously at requestsPerMinute a minute, then takes one token. */
  private boolean take(String keyId) {
    long now = nanoTime.getAsLong();
    Bucket bucket = buckets.computeIfAbsent(keyId, k -> {
      Bucket fresh = new Bucket();
      fresh.tokens = requestsPerMinute;
      fresh.refilledAt = now;
      return fresh;
    });
    double refill = (now - bucket.refilledAt) * (double) requestsPerMinute / MINUTE_NANOS;
    bucket.tokens = Math.min(requestsPerMinute, bucket.tokens + refill);
    bucket.refilledAt = now;
    if (bucket.tokens < 1) {
      return false;
    }
    bucket.tokens -= 1;
    return true;
  }
}
