package com.portfoliostream.ingest.accounts;

import com.portfoliostream.broker.accounts.BrokerAccount;
import com.portfoliostream.broker.accounts.BrokerAccountStore;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The broker accounts ingest streams, read from the table at most every {@link #REFRESH}: the lease
 * rounds ask every second, and a new account need not be streamed sooner than that.
 */
public final class KnownAccounts {

  public static final Duration REFRESH = Duration.ofSeconds(10);

  private final BrokerAccountStore store;
  private final Clock clock;
  private List<BrokerAccount> accounts = List.of();
  private long loadedAt;

  public KnownAccounts(BrokerAccountStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** The accounts, read again when the last read is older than {@link #REFRESH}. */
  public Future<List<BrokerAccount>> current() {
    if (clock.millis() - loadedAt < REFRESH.toMillis()) {
      return Future.succeededFuture(accounts);
    }
    return store.all().onSuccess(list -> {
      accounts = list;
      loadedAt = clock.millis();
    });
  }

  /** Makes the next {@link #current()} read the table (operators linked, rotated or unlinked an account). */
  public void invalidate() {
    loadedAt = Long.MIN_VALUE / 2;
  }

  /** The accounts as last read, without reading (empty before the first read). */
  public List<BrokerAccount> lastKnown() {
    return accounts;
  }
}
