-- The cluster-wide per-user socket limit, kept in PostgreSQL instead of a Hazelcast map: the
-- database is reachable from every edge whatever the cluster's membership says, and its clock is
-- the one clock every node's lease is judged by (no skew between hosts).
--
-- Each edge node holds a lease it renews every second. A slot counts only while its node's
-- lease is fresh: the slots of a node that froze, was partitioned away or crashed stop counting
-- within NODE_LEASE_MS, so that node's users are admitted elsewhere at once.
CREATE TABLE node_leases (
  node_id    TEXT PRIMARY KEY,
  renewed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  started_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE socket_slots (
  socket_id TEXT PRIMARY KEY,
  user_id   UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  node_id   TEXT NOT NULL REFERENCES node_leases (node_id) ON DELETE CASCADE,
  opened_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX socket_slots_user ON socket_slots (user_id);
CREATE INDEX socket_slots_node ON socket_slots (node_id);
