package com.portfoliostream.web.session;

/** The SQL of {@link PgSessionStore}; times are the database's, so every node agrees on expiry. */
final class SessionQueries {

  private SessionQueries() {}

  static final String FIND = """
      SELECT data, version, timeout_ms,
             (extract(epoch FROM now() - (expires_at - timeout_ms * interval '1 millisecond')) * 1000)::bigint
               AS renewed_ago_ms
      FROM web_sessions WHERE id_hash = $1 AND expires_at > now()""";

  static final String INSERT = """
      INSERT INTO web_sessions (id_hash, data, version, timeout_ms, expires_at)
      VALUES ($1, $2, $3, $4, now() + $4 * interval '1 millisecond')
      ON CONFLICT (id_hash) DO NOTHING""";

  /** Only a live row of the version the request read: a signed-out session is never written back. */
  static final String UPDATE = """
      UPDATE web_sessions SET data = $2, version = $3, timeout_ms = $4,
             expires_at = now() + $4 * interval '1 millisecond'
      WHERE id_hash = $1 AND version = $5 AND expires_at > now()""";

  static final String RENEW = """
      UPDATE web_sessions SET expires_at = now() + timeout_ms * interval '1 millisecond'
      WHERE id_hash = $1 AND expires_at > now()""";

  static final String DELETE = "DELETE FROM web_sessions WHERE id_hash = $1";

  static final String CLEAR = "DELETE FROM web_sessions";

  static final String COUNT_LIVE = "SELECT count(*) FROM web_sessions WHERE expires_at > now()";

  static final String LIVE_OF = "SELECT id_hash FROM web_sessions WHERE id_hash = ANY($1) AND expires_at > now()";

  static final String DELETE_EXPIRED = """
      DELETE FROM web_sessions WHERE id_hash IN (
        SELECT id_hash FROM web_sessions WHERE expires_at <= now() LIMIT $1)""";
}
