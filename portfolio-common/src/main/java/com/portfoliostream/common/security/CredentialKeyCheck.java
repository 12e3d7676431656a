package com.portfoliostream.common.security;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * Makes sure every node uses the key that sealed the database's credentials: the first node
 * stores a sealed marker, later nodes must open it, or they refuse to start.
 */
public final class CredentialKeyCheck {

  private static final String MARKER = "portfolio-credentials-key-check";
  private static final String BOUND_TO = "credentials_key_check";

  private CredentialKeyCheck() {}

  public static Future<Void> verifyOrInstall(Pool pool, CredentialCipher cipher) {
    byte[] sealed = cipher.encrypt(MARKER, BOUND_TO);
    return pool.preparedQuery("INSERT INTO credentials_key_check (id, sealed) VALUES (1, $1) ON CONFLICT (id) DO NOTHING")
        .execute(Tuple.of(Buffer.buffer(sealed)))
        .compose(ignored -> pool.query("SELECT sealed FROM credentials_key_check WHERE id = 1").execute())
        .compose(rows -> {
          Row row = rows.iterator().next();
          try {
            cipher.decrypt(row.getBuffer("sealed").getBytes(), BOUND_TO);
            return Future.succeededFuture();
          } catch (CredentialCipher.CredentialDecryptionException e) {
            return Future.failedFuture(new IllegalStateException(
                "CREDENTIALS_KEY is not the key that sealed this database's broker credentials"));
          }
        });
  }
}
