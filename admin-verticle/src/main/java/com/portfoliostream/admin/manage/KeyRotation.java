package com.portfoliostream.admin.manage;

import com.portfoliostream.common.control.ControlSignals;
import com.portfoliostream.common.security.CredentialCipher;
import com.portfoliostream.common.security.CredentialKeyCheck;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Re-seals every linked broker secret under a new credentials key in one transaction, with the
 * key-check marker, its audit entry and the {@link ControlSignals.Kind#KEYS} signal that tells the
 * nodes to read their key again. A secret the current key cannot open aborts it all: nothing changes.
 * Streams keep running meanwhile (they hold their secrets already); afterwards the old key opens
 * nothing, and a node started with it refuses to start.
 */
public final class KeyRotation {

  private KeyRotation() {}

  /** Completes with how many secrets were re-sealed. */
  public static Future<Integer> rotate(Pool pool, CredentialCipher current, CredentialCipher next, Actor actor) {
    return pool.withTransaction(conn -> CredentialKeyCheck.opens(conn, current).compose(opens -> {
      if (!opens) {
        return Future.failedFuture(Refusal.conflict("The current key is not the one the database's secrets are "
            + "sealed under; nothing was changed"));
      }
      return conn.query("SELECT id, api_secret_cipher FROM broker_accounts WHERE unlinked_at IS NULL FOR UPDATE").execute();
    }).compose(rows -> {
      List<Tuple> resealed = new ArrayList<>();
      for (Row row : rows) {
        String bound = row.getUUID("id").toString();
        String secret;
        try {
          secret = current.decrypt(row.getBuffer("api_secret_cipher").getBytes(), bound);
        } catch (CredentialCipher.CredentialDecryptionException e) {
          return Future.failedFuture(new Refusal(Refusal.Kind.CONFLICT, "The secret of broker account " + bound
              + " does not open with the current key; nothing was changed", Map.of()));
        }
        resealed.add(Tuple.of(row.getUUID("id"), Buffer.buffer(next.encrypt(secret, bound))));
      }
      Future<?> updated = resealed.isEmpty() ? Future.succeededFuture()
          : conn.preparedQuery("UPDATE broker_accounts SET api_secret_cipher = $2 WHERE id = $1").executeBatch(resealed);
      return updated.compose(v -> CredentialKeyCheck.replaceMarker(conn, CredentialKeyCheck.sealMarker(next)))
          .compose(v -> ControlSignals.bump(conn, ControlSignals.Kind.KEYS))
          .compose(v -> AuditLog.record(conn, actor, "keys.rotate", null, "ok",
              new JsonObject().put("secretsResealed", resealed.size())))
          .map(resealed.size());
    })).recover(e -> AuditLog.record(pool, actor, "keys.rotate", null, e instanceof Refusal ? "refused" : "failed",
            new JsonObject().put("reason", e instanceof Refusal ? e.getMessage() : "internal error"))
        .transform(ignored -> Future.failedFuture(e)));
  }
}
