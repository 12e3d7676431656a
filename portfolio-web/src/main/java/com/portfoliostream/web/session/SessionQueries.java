package com.portfoliostream.web.session;

/**
 * The SQL of {@link PgSessionStore}; times are the database's, so every node agrees on expiry. A row
 * is live while both its idle expiry and its absolute end lie ahead; renewals never push
 * {@code expires_at} past {@code ends_at}, so the cleanup by {@code expires_at} also removes rows
 * that reached their end.
 */
final class SessionQueries {

  private SessionQueries() {}

  static final String FIND = """
      SELECT data, version, timeout_ms,
             (extract(epoch FROM now() - (expires_at - timeout_ms * interval '1 millisecond')) * 1000)::bigint
               AS renewed_ago_ms
      FROM web_sessions WHERE id_hash = $1 AND expires_at > now() AND ends_at > now()""";

  /** A signed-in session: it ends {@code $6} ms from now at the latest, however much it is used. */
  static final String INSERT = """
      INSERT INTO web_sessions (id_hash, data, version, timeout_ms, owner, created_at, ends_at, expires_at)
      VALUES ($1, $2, $3, $4, $5, now(), now() + $6::bigint * interval '1 millisecond',
              now() + least($4::bigint, $6::bigint) * interval '1 millisecond')
      ON CONFLICT (id_hash) DO NOTHING""";

  /** Serialises the sign-ins of one owner, so two at once cannot both stay under the cap. */
  static final String LOCK_OWNER = "SELECT pg_advisory_xact_lock(hashtext($1))";

  /** The owner's rows beyond the newest {@code $2}: evicted, their hashes returned to close their sockets. */
  static final String EVICT_OLDEST = """
      DELETE FROM web_sessions WHERE id_hash IN (
        SELECT id_hash FROM web_sessions WHERE owner = $1
        ORDER BY created_at DESC, id_hash DESC OFFSET $2)
      RETURNING id_hash""";

  static final String HAS_ROOM = """
      SELECT count(*) < $1 FROM web_sessions WHERE expires_at > now() AND ends_at > now()""";

  /** Only a live row of the version the request read: a signed-out session is never written back. */
  static final String UPDATE = """
      UPDATE web_sessions SET data = $2, version = $3, timeout_ms = $4,
             expires_at = least(now() + $4 * interval '1 millisecond', ends_at)
      WHERE id_hash = $1 AND version = $5 AND expires_at > now() AND ends_at > now()""";

  static final String RENEW = """
      UPDATE web_sessions SET expires_at = least(now() + timeout_ms * interval '1 millisecond', ends_at)
      WHERE id_hash = $1 AND expires_at > now() AND ends_at > now()""";

  static final String DELETE = "DELETE FROM web_sessions WHERE id_hash = $1";

  static final String CLEAR = "DELETE FROM web_sessions";

  static final String COUNT_LIVE = "SELECT count(*) FROM web_sessions WHERE expires_at > now() AND ends_at > now()";

  static final String LIVE_OF = """
      SELECT id_hash FROM web_sessions WHERE id_hash = ANY($1) AND expires_at > now() AND ends_at > now()""";

  static final String DELETE_EXPIRED = """
      DELETE FROM web_sessions WHERE id_hash IN (
        SELECT id_hash FROM web_sessions WHERE expires_at <= now() LIMIT $1)""";
}
