-- When an edge took its lapsed lease again after it could not reach the database (a partition or
-- an outage: it kept trying, so it keeps its sockets and they count again at once). The balancer
-- has most likely cut those sockets meanwhile (an edge whose readiness fails is marked down and its
-- sessions shut) and the edge learns so only when TCP tells it, so for a heartbeat timeout after
-- retaken_at its older slots are in doubt: a user at the limit only through them is told to try
-- again shortly (1013), not refused for good (1008).
ALTER TABLE node_leases ADD COLUMN retaken_at TIMESTAMPTZ;
