package com.portfoliostream.web.session;

import com.portfoliostream.events.protocol.BusAddresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.prng.VertxContextPRNG;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.sstore.SessionStore;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
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
 * {@code timeout - renewAfter} and {@code timeout} after its last use, and never beyond its
 * absolute end ({@link SessionLimits#maxLifetime()} after it was first stored). Expired rows are
 * deleted on a timer, a bounded batch at a time.
 *
 * <p>Only sessions with an owner ({@link #OWNER_KEY}, the signed-in user) are ever stored: an
 * anonymous session, which every request without a cookie starts, costs no row. Storing one more
 * session of an owner evicts that owner's oldest beyond {@link SessionLimits#perUser()} and tells
 * every node to close their sockets ({@link BusAddresses#SESSION_REVOKED}).
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
  /** The session data key naming the session's owner; a session without it is never stored. */
  public static final String OWNER_KEY = "userId";

  private final long cleanupTimer;
  private final SessionLimits limits;

  private PgSessionStore(Vertx vertx, Pool pool, SessionLimits limits) {
    this.vertx = vertx;
    this.pool = pool;
    this.limits = limits;
    this.random = VertxContextPRNG.current(vertx);
    this.cleanupTimer = vertx.setPeriodic(CLEANUP_INTERVAL_MS, id -> deleteExpired());
  }

  /** A store on {@code pool} with the default limits; {@link #close()} stops its cleanup timer. */
  public static PgSessionStore create(Vertx vertx, Pool pool) {
    return create(vertx, pool, SessionLimits.DEFAULTS);
  }

  /** A store on {@code pool} bounded by {@code limits}; {@link #close()} stops its cleanup timer. */
  public static PgSessionStore create(Vertx vertx, Pool pool, SessionLimits limits) {
    return new PgSessionStore(vertx, pool, limits);
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
      String owner = stored.get(OWNER_KEY);
      return owner == null ? Future.succeededFuture() : insert(stored, owner);
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

  /** Stores a signed-in session and evicts its owner's oldest beyond the cap, in one transaction. */
  private Future<Void> insert(PgSession session, String owner) {
    Tuple values = Tuple.of(SessionHash.of(session.id()), session.serialisedData(), session.version(),
        session.timeout(), owner, limits.maxLifetime().toMillis());
    return pool.withTransaction(conn -> conn.preparedQuery(SessionQueries.LOCK_OWNER).execute(Tuple.of(owner))
        .compose(locked -> conn.preparedQuery(SessionQueries.INSERT).execute(values))
        .compose(rows -> rows.rowCount() == 0
            ? Future.<RowSet<Row>>failedFuture("Session id already taken")
            : conn.preparedQuery(SessionQueries.EVICT_OLDEST).execute(Tuple.of(owner, limits.perUser()))))
        .onSuccess(evicted -> {
          session.written();
          evicted.forEach(row -> vertx.eventBus().publish(BusAddresses.SESSION_REVOKED,
              new JsonObject().put(BusAddresses.SESSION_HASH_FIELD, row.getString(0))));
        })
        .mapEmpty();
  }

  /**
   * Whether fewer than {@link SessionLimits#total()} sessions are live, so one more sign-in may be
   * stored. Checked before a sign-in, not locked: sign-ins in flight at once may pass it together,
   * which the sign-in gate bounds to a few per node.
   */
  public Future<Boolean> hasRoom() {
    return pool.preparedQuery(SessionQueries.HAS_ROOM).execute(Tuple.of(limits.total()))
        .map(rows -> rows.iterator().next().getBoolean(0));
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
