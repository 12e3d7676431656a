package com.portfoliostream.web.session;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.prng.VertxContextPRNG;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.sstore.SessionStore;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP sessions in PostgreSQL, the system of record, which a stranger on the cluster network cannot
 * read without database credentials (Hazelcast, where they were, cannot keep anyone out). Rows are
 * keyed by {@link SessionHash}, so even a dump of the table holds no cookie. A session expires after
 * its timeout without use; a use renews the row only when it was last renewed more than
 * {@link #renewAfterMs} ago, so a burst of requests costs one write, and a session lives between
 * {@code timeout - renewAfter} and {@code timeout} after its last use. Expired rows are deleted on a
 * timer, a bounded batch at a time.
 */
public final class PgSessionStore implements SessionStore {

  /** How often expired rows are deleted, and at most how many per run. */
  public static final long CLEANUP_INTERVAL_MS = 60_000;
  static final int CLEANUP_BATCH = 5_000;
  private static final long MAX_RENEW_AFTER_MS = 60_000;
  private static final Logger LOG = LoggerFactory.getLogger(PgSessionStore.class);

  private final Vertx vertx;
  private final Pool pool;
  private final VertxContextPRNG random;
  private final long cleanupTimer;

  private PgSessionStore(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
    this.random = VertxContextPRNG.current(vertx);
    this.cleanupTimer = vertx.setPeriodic(CLEANUP_INTERVAL_MS, id -> deleteExpired());
  }

  /** A store on {@code pool}; {@link #close()} stops its cleanup timer. */
  public static PgSessionStore create(Vertx vertx, Pool pool) {
    return new PgSessionStore(vertx, pool);
  }

  @Override
  public SessionStore init(Vertx vertx, JsonObject options) {
    return this;
  }

  /** No retries: a committed row is visible to every node at once, so a miss is final. */
  @Override
  public long retryTimeout() {
    return 0;
  }

  @Override
  public Session createSession(long timeout) {
    return createSession(timeout, DEFAULT_SESSIONID_LENGTH);
  }

  @Override
  public Session createSession(long timeout, int length) {
    return new PgSession(random, timeout, length);
  }

  @Override
  public Future<Session> get(String id) {
    return pool.preparedQuery(SessionQueries.FIND).execute(Tuple.of(SessionHash.of(id))).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      Row row = rows.iterator().next();
      return PgSession.stored(random, id, row.getLong("timeout_ms"), row.getInteger("version"),
          row.getBuffer("data"), row.getLong("renewed_ago_ms"));
    });
  }

  @Override
  public Future<Void> put(Session session) {
    PgSession stored = (PgSession) session;
    int readVersion = stored.version();
    stored.incrementVersion();
    if (!stored.isStoredUnderId()) {
      return write(stored, SessionQueries.INSERT, Tuple.of(SessionHash.of(stored.id()), stored.serialisedData(),
          stored.version(), stored.timeout()), "Session id already taken");
    }
    if (stored.version() != readVersion) {
      return write(stored, SessionQueries.UPDATE, Tuple.of(SessionHash.of(stored.id()), stored.serialisedData(),
          stored.version(), stored.timeout(), readVersion), "Session version mismatch");
    }
    if (stored.msSinceRenewal() < renewAfterMs(stored.timeout())) {
      return Future.succeededFuture();
    }
    // A row gone meanwhile (signed out on another node) stays gone; the next request finds no session.
    return pool.preparedQuery(SessionQueries.RENEW).execute(Tuple.of(SessionHash.of(stored.id())))
        .onSuccess(rows -> stored.written()).mapEmpty();
  }

  /** A tenth of the timeout, at most a minute. */
  static long renewAfterMs(long timeoutMs) {
    return Math.min(timeoutMs / 10, MAX_RENEW_AFTER_MS);
  }

  private Future<Void> write(PgSession session, String sql, Tuple values, String conflict) {
    return pool.preparedQuery(sql).execute(values).compose(rows -> {
      if (rows.rowCount() == 0) {
        return Future.failedFuture(conflict);
      }
      session.written();
      return Future.succeededFuture();
    });
  }

  @Override
  public Future<Void> delete(String id) {
    return pool.preparedQuery(SessionQueries.DELETE).execute(Tuple.of(SessionHash.of(id))).mapEmpty();
  }

  @Override
  public Future<Void> clear() {
    return pool.query(SessionQueries.CLEAR).execute().mapEmpty();
  }

  @Override
  public Future<Integer> size() {
    return pool.query(SessionQueries.COUNT_LIVE).execute().map(rows -> rows.iterator().next().getLong(0).intValue());
  }

  /** Which of these {@link SessionHash}es are of live sessions: one query for all of a node's sockets. */
  public Future<Set<String>> liveOf(Collection<String> sessionHashes) {
    if (sessionHashes.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    return pool.preparedQuery(SessionQueries.LIVE_OF).execute(Tuple.of(sessionHashes.toArray(String[]::new)))
        .map(rows -> {
          Set<String> live = new HashSet<>();
          rows.forEach(row -> live.add(row.getString(0)));
          return live;
        });
  }

  /** Deletes up to {@link #CLEANUP_BATCH} expired rows; the number deleted. */
  public Future<Integer> deleteExpired() {
    return pool.preparedQuery(SessionQueries.DELETE_EXPIRED).execute(Tuple.of(CLEANUP_BATCH))
        .map(rows -> rows.rowCount())
        .onFailure(e -> LOG.warn("Could not delete expired sessions: {}", e.getMessage()));
  }

  @Override
  public void close() {
    vertx.cancelTimer(cleanupTimer);
  }
}
