-- Who streams what: one lease per broker stream (a broker account's trading stream, the cluster's
-- market-data connection), kept here instead of a Hazelcast map. Both halves of a split cluster
-- reach the same database, so at most one node holds a lease whatever the cluster's membership
-- says, and one clock (the database's now()) judges every expiry.
--
-- The fencing token grows by one whenever the lease changes hands (or its own holder takes it
-- again after it lapsed). Every write the holder makes for the stream checks, in its own
-- transaction, that the row still names it with its token and has not expired, and takes a share
-- lock on the row: a node taking the lease over waits for those writes to commit, and every write
-- a stale holder starts afterwards is refused. A released lease keeps its row (holder NULL), so the
-- token never goes back.
CREATE TABLE stream_leases (
  stream      TEXT PRIMARY KEY,
  holder      TEXT,
  token       BIGINT NOT NULL,
  expires_at  TIMESTAMPTZ NOT NULL,
  acquired_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT stream_leases_token_positive CHECK (token > 0)
);

-- The ingest nodes alive now, each renewing its row with its leases: how many share the accounts.
CREATE TABLE ingest_nodes (
  node_id    TEXT PRIMARY KEY,
  expires_at TIMESTAMPTZ NOT NULL
);
