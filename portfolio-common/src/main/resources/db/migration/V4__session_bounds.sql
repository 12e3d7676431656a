-- Bounds of the session table. A row now names its owner (the signed-in user; anonymous requests
-- store no row at all), so sign-in can keep at most MAX_SESSIONS_PER_USER rows per owner and evict
-- the oldest; and it carries an absolute end (SESSION_MAX_LIFETIME_HOURS after sign-in) that use
-- never pushes forward: expires_at is renewed up to ends_at, never past it.
ALTER TABLE web_sessions
  ADD COLUMN owner      TEXT,
  ADD COLUMN created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  ADD COLUMN ends_at    TIMESTAMPTZ NOT NULL DEFAULT now() + interval '12 hours';

-- Rows stored before this migration were all created on a request, most of them anonymous:
-- none has an owner to bound it by, so they end now (their users sign in again).
DELETE FROM web_sessions;

-- The per-owner eviction at sign-in walks this, newest first.
CREATE INDEX web_sessions_owner_created ON web_sessions (owner, created_at);
