package com.portfoliostream.broker.accounts;

import com.portfoliostream.broker.rest.AlpacaCredentials;
import com.portfoliostream.common.security.CredentialCipher;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Reads linked broker accounts (an unlinked one has no secret left) and opens their sealed API secrets. A secret sealed under another key (or
 * tampered with) fails loudly rather than connecting with garbage.
 */
public final class BrokerAccountStore {

  private static final String COLUMNS = "SELECT id, user_id, environment, api_key_id, api_secret_cipher FROM broker_accounts "
      + "WHERE unlinked_at IS NULL";

  private final Pool pool;
  private final CredentialCipher cipher;

  public BrokerAccountStore(Pool pool, CredentialCipher cipher) {
    this.pool = pool;
    this.cipher = cipher;
  }

  public Future<List<BrokerAccount>> all() {
    return pool.query(COLUMNS + " ORDER BY created_at, id").execute().map(rows -> {
      List<BrokerAccount> accounts = new ArrayList<>();
      rows.forEach(row -> accounts.add(open(row)));
      return accounts;
    });
  }

  public Future<BrokerAccount> byId(UUID accountId) {
    return pool.preparedQuery(COLUMNS + " AND id = $1").execute(Tuple.of(accountId)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(new IllegalArgumentException("no linked broker account " + accountId));
      }
      return Future.succeededFuture(open(rows.iterator().next()));
    });
  }

  private BrokerAccount open(Row row) {
    UUID id = row.getUUID("id");
    byte[] sealed = row.getBuffer("api_secret_cipher").getBytes();
    String secret = cipher.decrypt(sealed, id.toString());
    return new BrokerAccount(id, row.getUUID("user_id"), row.getString("environment"),
        new AlpacaCredentials(row.getString("api_key_id"), secret));
  }
}
