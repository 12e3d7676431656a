-- HTTP sessions of the edge and the admin console (they left Hazelcast, where any host on the
-- cluster network could read them). A row is keyed by the SHA-256 of the session id, never the id:
-- neither a dump of this table nor anything on the cluster yields a cookie that opens a session.
-- data is Vert.x Web's session data serialisation; expires_at is pushed forward on use (idle timeout).
CREATE TABLE web_sessions (
  id_hash    TEXT PRIMARY KEY,
  data       BYTEA NOT NULL,
  version    INTEGER NOT NULL,
  timeout_ms BIGINT NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  CONSTRAINT web_sessions_id_hash_sha256 CHECK (id_hash ~ '^[0-9a-f]{64}$'),
  CONSTRAINT web_sessions_timeout_positive CHECK (timeout_ms > 0)
);

-- The cleanup of expired rows walks this.
CREATE INDEX web_sessions_expires_at ON web_sessions (expires_at);
