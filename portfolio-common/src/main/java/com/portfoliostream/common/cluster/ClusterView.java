package com.portfoliostream.common.cluster;

import io.vertx.core.spi.cluster.ClusterManager;
import java.util.List;

/**
 * What a node may know of its cluster: its own member id and the members alive now. Read through
 * the public cluster manager SPI the node created itself, never through Vert.x internals. A
 * non-clustered Vert.x (tests, tools) is a cluster of one that is not a member of anything.
 */
public interface ClusterView {

  /** This node's id in the cluster manager, as other members see it (not {@code NodeContext.nodeId}). */
  String localNodeId();

  /** The ids of the members alive now, this node included. */
  List<String> liveNodes();

  /** False for a Vert.x that was not started clustered. */
  boolean isClustered();

  /** Clustered, active, and listed among the live members. */
  boolean isMember();

  /** The view of the cluster {@code manager} joins; the node's own manager, as handed to Vert.x. */
  static ClusterView of(ClusterManager manager) {
    return new ManagedClusterView(manager);
  }

  /** The view of a Vert.x that is not clustered. */
  static ClusterView singleNode() {
    return SingleNodeView.INSTANCE;
  }
}
