package com.portfoliostream.common.cluster;

import java.util.List;

/** A Vert.x on its own: one node, called {@link #NODE_ID}, and no cluster to be a member of. */
final class SingleNodeView implements ClusterView {

  static final String NODE_ID = "local";
  static final SingleNodeView INSTANCE = new SingleNodeView();

  private SingleNodeView() {}

  @Override
  public String localNodeId() {
    return NODE_ID;
  }

  @Override
  public List<String> liveNodes() {
    return List.of(NODE_ID);
  }

  @Override
  public boolean isClustered() {
    return false;
  }

  @Override
  public boolean isMember() {
    return false;
  }
}
