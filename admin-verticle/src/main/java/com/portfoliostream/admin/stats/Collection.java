package com.portfoliostream.admin.stats;

import com.portfoliostream.common.stats.NodeStats;
import java.time.Instant;
import java.util.List;

/**
 * One round of asking every node: the answers that came in time, and the cluster members that
 * did not answer (by cluster node id), so that none is silently left out.
 */
public record Collection(Instant at, List<NodeStats> answers, List<String> missing) {}
