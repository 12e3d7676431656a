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

  /** The marker sealed under {@code cipher}'s key, for a rotation to store in place of the old one. */
  public static byte[] sealMarker(CredentialCipher cipher) {
    return cipher.encrypt(MARKER, BOUND_TO);
  }

  /** Stores {@code sealed} (from {@link #sealMarker}) as the marker, through the rotation's transaction. */
  public static Future<Void> replaceMarker(io.vertx.sqlclient.SqlClient client, byte[] sealed) {
    return client.preparedQuery("UPDATE credentials_key_check SET sealed = $1, created_at = now() WHERE id = 1")
        .execute(Tuple.of(Buffer.buffer(sealed))).mapEmpty();
  }

  /** Whether {@code cipher}'s key opens the database's marker: the key the secrets are sealed under now. */
  public static Future<Boolean> opens(io.vertx.sqlclient.SqlClient client, CredentialCipher cipher) {
    return client.query("SELECT sealed FROM credentials_key_check WHERE id = 1").execute().map(rows -> {
      if (rows.size() == 0) {
        return true;
      }
      try {
        cipher.decrypt(rows.iterator().next().getBuffer("sealed").getBytes(), BOUND_TO);
        return true;
      } catch (CredentialCipher.CredentialDecryptionException e) {
        return false;
      }
    });
  }

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
