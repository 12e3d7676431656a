-- Failed (and in-flight) sign-in attempts, counted atomically before a password is hashed: per
-- (username, address) pair, per address and per username. In PostgreSQL rather than Hazelcast,
-- where any host on the cluster network could reset or inflate them. A row lapses at expires_at.
CREATE TABLE login_attempts (
  key        TEXT PRIMARY KEY,
  attempts   INTEGER NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  CONSTRAINT login_attempts_key_length CHECK (length(key) <= 200)
);

CREATE INDEX login_attempts_expires_at ON login_attempts (expires_at);
