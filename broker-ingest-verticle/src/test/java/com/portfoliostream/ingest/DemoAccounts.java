package com.portfoliostream.ingest;

import com.portfoliostream.broker.accounts.BrokerAccount;
import com.portfoliostream.broker.accounts.BrokerAccountStore;
import com.portfoliostream.common.security.CredentialCipher;
import com.portfoliostream.testkit.TestDatabase;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/** The demo users' broker accounts, as the account store reads them. */
public final class DemoAccounts {

  private DemoAccounts() {}

  public static BrokerAccount account(Pool pool, CredentialCipher cipher, String username) throws Exception {
    Row row = TestDatabase.await(pool.preparedQuery("SELECT a.id FROM broker_accounts a JOIN users u ON u.id = a.user_id "
        + "WHERE u.username = $1").execute(Tuple.of(username))).iterator().next();
    return TestDatabase.await(new BrokerAccountStore(pool, cipher).byId(row.getUUID("id")));
  }
}
