-- The system of record. Money and quantities are NUMERIC (exact); times are TIMESTAMPTZ.
-- Every entity that is streamed carries a version that grows with each change, so a late, older
-- update can never overwrite a newer one on a client.

CREATE TABLE users (
  id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  username      TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  role          TEXT NOT NULL,
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT users_username_unique UNIQUE (username),
  CONSTRAINT users_username_format CHECK (username ~ '^[a-z0-9][a-z0-9_.-]{1,63}$'),
  CONSTRAINT users_role_known CHECK (role IN ('trader', 'admin')),
  CONSTRAINT users_password_hash_phc CHECK (password_hash LIKE '$%')
);

-- One row per brokerage account. The API secret is AES-256-GCM ciphertext bound to the row id,
-- under a key that never enters the database (CREDENTIALS_KEY).
CREATE TABLE broker_accounts (
  id                UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id           UUID NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
  broker            TEXT NOT NULL DEFAULT 'alpaca',
  environment       TEXT NOT NULL,
  api_key_id        TEXT NOT NULL,
  api_secret_cipher BYTEA NOT NULL,
  created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT broker_accounts_one_per_user UNIQUE (user_id),
  CONSTRAINT broker_accounts_id_user UNIQUE (id, user_id),
  CONSTRAINT broker_accounts_key_unique UNIQUE (environment, api_key_id),
  CONSTRAINT broker_accounts_broker_known CHECK (broker IN ('alpaca')),
  CONSTRAINT broker_accounts_environment_known CHECK (environment IN ('simulator', 'paper', 'live')),
  CONSTRAINT broker_accounts_key_not_blank CHECK (length(api_key_id) > 0)
);

-- Makes sure a key change is noticed: a node with another CREDENTIALS_KEY refuses to start.
CREATE TABLE credentials_key_check (
  id         SMALLINT PRIMARY KEY DEFAULT 1,
  sealed     BYTEA NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT credentials_key_check_single_row CHECK (id = 1)
);

CREATE TABLE positions (
  id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id      UUID NOT NULL,
  user_id         UUID NOT NULL,
  symbol          TEXT NOT NULL,
  qty             NUMERIC(24, 9) NOT NULL,
  side            TEXT NOT NULL,
  avg_entry_price NUMERIC(24, 9) NOT NULL,
  current_price   NUMERIC(24, 9),
  lastday_price   NUMERIC(24, 9),
  realized_pnl    NUMERIC(24, 2) NOT NULL DEFAULT 0,
  strategy_id     TEXT,
  opened_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  version         BIGINT NOT NULL DEFAULT 1,
  CONSTRAINT positions_account_user_fk FOREIGN KEY (account_id, user_id)
    REFERENCES broker_accounts (id, user_id) ON DELETE RESTRICT,
  CONSTRAINT positions_one_per_symbol UNIQUE (account_id, symbol),
  CONSTRAINT positions_symbol_format CHECK (symbol ~ '^[A-Z0-9][A-Z0-9./-]{0,19}$'),
  -- A closed position keeps its row at quantity 0 so its version keeps growing.
  CONSTRAINT positions_qty_not_negative CHECK (qty >= 0),
  CONSTRAINT positions_side_known CHECK (side IN ('long', 'short')),
  CONSTRAINT positions_entry_price_positive CHECK (avg_entry_price >= 0 AND (qty = 0 OR avg_entry_price > 0)),
  CONSTRAINT positions_current_price_positive CHECK (current_price IS NULL OR current_price > 0),
  CONSTRAINT positions_version_positive CHECK (version > 0)
);
CREATE INDEX positions_by_user ON positions (user_id);
CREATE INDEX positions_by_symbol_open ON positions (symbol) WHERE qty > 0;

-- Our order id is also the broker's client_order_id, so a retried submission can never place a
-- second order.
CREATE TABLE orders (
  id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id       UUID NOT NULL,
  user_id          UUID NOT NULL,
  client_order_id  TEXT NOT NULL,
  broker_order_id  TEXT,
  idempotency_key  TEXT,
  symbol           TEXT NOT NULL,
  side             TEXT NOT NULL,
  type             TEXT NOT NULL,
  time_in_force    TEXT NOT NULL,
  qty              NUMERIC(24, 9) NOT NULL,
  filled_qty       NUMERIC(24, 9) NOT NULL DEFAULT 0,
  filled_avg_price NUMERIC(24, 9),
  limit_price      NUMERIC(24, 9),
  stop_price       NUMERIC(24, 9),
  status           TEXT NOT NULL DEFAULT 'pending_new',
  reject_reason    TEXT,
  strategy_id      TEXT,
  submitted_at     TIMESTAMPTZ,
  filled_at        TIMESTAMPTZ,
  canceled_at      TIMESTAMPTZ,
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  version          BIGINT NOT NULL DEFAULT 1,
  CONSTRAINT orders_account_user_fk FOREIGN KEY (account_id, user_id)
    REFERENCES broker_accounts (id, user_id) ON DELETE RESTRICT,
  CONSTRAINT orders_client_order_id_unique UNIQUE (client_order_id),
  CONSTRAINT orders_broker_order_id_unique UNIQUE (broker_order_id),
  CONSTRAINT orders_idempotency_unique UNIQUE (user_id, idempotency_key),
  CONSTRAINT orders_symbol_format CHECK (symbol ~ '^[A-Z0-9][A-Z0-9./-]{0,19}$'),
  CONSTRAINT orders_side_known CHECK (side IN ('buy', 'sell')),
  CONSTRAINT orders_type_known CHECK (type IN ('market', 'limit', 'stop', 'stop_limit', 'trailing_stop')),
  CONSTRAINT orders_tif_known CHECK (time_in_force IN ('day', 'gtc', 'opg', 'cls', 'ioc', 'fok')),
  CONSTRAINT orders_status_known CHECK (status IN ('pending_new', 'new', 'accepted',
    'accepted_for_bidding', 'partially_filled', 'pending_cancel', 'pending_replace', 'calculated',
    'stopped', 'suspended', 'done_for_day', 'filled', 'canceled', 'expired', 'replaced',
    'rejected', 'failed')),
  CONSTRAINT orders_qty_positive CHECK (qty > 0),
  CONSTRAINT orders_filled_within_qty CHECK (filled_qty >= 0 AND filled_qty <= qty),
  CONSTRAINT orders_filled_price_positive CHECK (filled_avg_price IS NULL OR filled_avg_price > 0),
  CONSTRAINT orders_limit_price_positive CHECK (limit_price IS NULL OR limit_price > 0),
  CONSTRAINT orders_stop_price_positive CHECK (stop_price IS NULL OR stop_price > 0),
  CONSTRAINT orders_limit_price_required CHECK (type NOT IN ('limit', 'stop_limit') OR limit_price IS NOT NULL),
  CONSTRAINT orders_stop_price_required CHECK (type NOT IN ('stop', 'stop_limit') OR stop_price IS NOT NULL),
  CONSTRAINT orders_filled_means_all CHECK (status <> 'filled' OR filled_qty = qty),
  CONSTRAINT orders_rejected_has_reason CHECK (status NOT IN ('rejected', 'failed') OR reject_reason IS NOT NULL),
  CONSTRAINT orders_version_positive CHECK (version > 0)
);
CREATE INDEX orders_by_user_created ON orders (user_id, created_at DESC);
CREATE INDEX orders_open_by_user ON orders (user_id)
  WHERE status NOT IN ('filled', 'canceled', 'expired', 'replaced', 'rejected', 'failed');

-- One row per broker execution; the execution id makes a redelivered fill a no-op.
CREATE TABLE trades (
  id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id   UUID NOT NULL,
  user_id      UUID NOT NULL,
  order_id     UUID NOT NULL REFERENCES orders (id) ON DELETE RESTRICT,
  execution_id TEXT NOT NULL,
  symbol       TEXT NOT NULL,
  side         TEXT NOT NULL,
  qty          NUMERIC(24, 9) NOT NULL,
  price        NUMERIC(24, 9) NOT NULL,
  realized_pnl NUMERIC(24, 2),
  strategy_id  TEXT,
  executed_at  TIMESTAMPTZ NOT NULL,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT trades_account_user_fk FOREIGN KEY (account_id, user_id)
    REFERENCES broker_accounts (id, user_id) ON DELETE RESTRICT,
  CONSTRAINT trades_execution_unique UNIQUE (account_id, execution_id),
  CONSTRAINT trades_side_known CHECK (side IN ('buy', 'sell')),
  CONSTRAINT trades_qty_positive CHECK (qty > 0),
  CONSTRAINT trades_price_positive CHECK (price > 0),
  CONSTRAINT trades_execution_not_blank CHECK (length(execution_id) > 0)
);
CREATE INDEX trades_by_user_executed ON trades (user_id, executed_at DESC);
CREATE INDEX trades_by_order ON trades (order_id);

-- Balances as the broker reported them; the newest row per account is the current state.
CREATE TABLE account_snapshots (
  id              BIGSERIAL PRIMARY KEY,
  account_id      UUID NOT NULL REFERENCES broker_accounts (id) ON DELETE CASCADE,
  equity          NUMERIC(24, 2) NOT NULL,
  cash            NUMERIC(24, 2) NOT NULL,
  buying_power    NUMERIC(24, 2) NOT NULL,
  portfolio_value NUMERIC(24, 2) NOT NULL,
  last_equity     NUMERIC(24, 2) NOT NULL,
  taken_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT account_snapshots_buying_power_not_negative CHECK (buying_power >= 0),
  CONSTRAINT account_snapshots_last_equity_not_negative CHECK (last_equity >= 0)
);
CREATE INDEX account_snapshots_latest ON account_snapshots (account_id, taken_at DESC, id DESC);

-- The durable order work queue: claimed with FOR UPDATE SKIP LOCKED under a lease.
CREATE TABLE order_jobs (
  id               BIGSERIAL PRIMARY KEY,
  order_id         UUID NOT NULL REFERENCES orders (id) ON DELETE RESTRICT,
  kind             TEXT NOT NULL,
  status           TEXT NOT NULL DEFAULT 'queued',
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  lease_owner      TEXT,
  lease_expires_at TIMESTAMPTZ,
  last_error       TEXT,
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT order_jobs_one_per_kind UNIQUE (order_id, kind),
  CONSTRAINT order_jobs_kind_known CHECK (kind IN ('submit', 'cancel')),
  CONSTRAINT order_jobs_status_known CHECK (status IN ('queued', 'running', 'done', 'dead')),
  CONSTRAINT order_jobs_attempts_not_negative CHECK (attempts >= 0),
  CONSTRAINT order_jobs_lease_complete CHECK ((lease_owner IS NULL) = (lease_expires_at IS NULL)),
  CONSTRAINT order_jobs_running_has_lease CHECK (status <> 'running' OR lease_owner IS NOT NULL)
);
CREATE INDEX order_jobs_ready ON order_jobs (next_attempt_at) WHERE status IN ('queued', 'running');
