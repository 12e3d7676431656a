package com.portfoliostream.common.cluster;

import io.vertx.core.spi.cluster.ClusterManager;
import java.util.List;

/** The cluster as the node's own cluster manager (Hazelcast in production) sees it. */
final class ManagedClusterView implements ClusterView {

  private final ClusterManager manager;

  ManagedClusterView(ClusterManager manager) {
    this.manager = manager;
  }

  @Override
  public String localNodeId() {
    return manager.getNodeId();
  }

  @Override
  public List<String> liveNodes() {
    return manager.getNodes();
  }

  @Override
  public boolean isClustered() {
    return true;
  }

  @Override
  public boolean isMember() {
    return manager.isActive() && manager.getNodes().contains(manager.getNodeId());
  }
}
