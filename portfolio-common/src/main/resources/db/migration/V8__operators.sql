-- What operators manage at run time: accounts disabled without deleting them, broker accounts
-- unlinked without losing their history, every administrative act in an audit log, the real-time
-- rollout, and the counters that tell every node something changed.

-- A disabled user cannot sign in; their sessions were ended when they were disabled.
ALTER TABLE users ADD COLUMN disabled_at TIMESTAMPTZ;

-- An unlinked account keeps its positions, orders and trades (they are the record) but loses its
-- secret: ingest stops streaming it and no order can be sent with it. Linking the same key again
-- brings it back. An account with no history is deleted instead of unlinked.
ALTER TABLE broker_accounts
  ADD COLUMN unlinked_at TIMESTAMPTZ,
  ADD COLUMN secret_rotated_at TIMESTAMPTZ,
  ADD CONSTRAINT broker_accounts_linked_has_secret CHECK (unlinked_at IS NOT NULL OR length(api_secret_cipher) > 0);

-- Who did what, when, from where. Never a secret or a password: details name fields, not values.
CREATE TABLE admin_audit (
  id         BIGSERIAL PRIMARY KEY,
  at         TIMESTAMPTZ NOT NULL DEFAULT now(),
  actor      TEXT NOT NULL,
  address    TEXT NOT NULL,
  action     TEXT NOT NULL,
  target     TEXT,
  outcome    TEXT NOT NULL,
  details    JSONB NOT NULL DEFAULT '{}'::jsonb,
  CONSTRAINT admin_audit_outcome_known CHECK (outcome IN ('ok', 'refused', 'failed')),
  CONSTRAINT admin_audit_action_format CHECK (action ~ '^[a-z]+(\.[a-z-]+)+$')
);
CREATE INDEX admin_audit_at ON admin_audit (at DESC, id DESC);

-- The real-time rollout, on top of ENABLE_REALTIME_PORTFOLIO: while enabled, a user streams when
-- on the allowlist, or not on the denylist and in the first `percentage` of 100 buckets of a
-- stable hash of their id. Everyone, by default.
CREATE TABLE realtime_rollout (
  id         SMALLINT PRIMARY KEY DEFAULT 1,
  enabled    BOOLEAN NOT NULL DEFAULT true,
  percentage INTEGER NOT NULL DEFAULT 100,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_by TEXT NOT NULL DEFAULT 'migration',
  CONSTRAINT realtime_rollout_single_row CHECK (id = 1),
  CONSTRAINT realtime_rollout_percentage_range CHECK (percentage BETWEEN 0 AND 100)
);
INSERT INTO realtime_rollout DEFAULT VALUES;

CREATE TABLE realtime_rollout_users (
  user_id  UUID PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  list     TEXT NOT NULL,
  added_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT realtime_rollout_users_list_known CHECK (list IN ('allow', 'deny'))
);

-- One counter per kind of change; a change bumps its counter in its own transaction, and every
-- node polls the counters every second to act on what changed (the CLI is not on the cluster's
-- bus, the database reaches every node).
CREATE TABLE control_versions (
  kind       TEXT PRIMARY KEY,
  version    BIGINT NOT NULL,
  changed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT control_versions_kind_known CHECK (kind IN ('users', 'accounts', 'rollout', 'keys'))
);
INSERT INTO control_versions (kind, version) VALUES ('users', 1), ('accounts', 1), ('rollout', 1), ('keys', 1);
