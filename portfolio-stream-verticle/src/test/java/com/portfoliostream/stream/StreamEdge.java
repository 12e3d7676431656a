package com.portfoliostream.stream;

import com.portfoliostream.testkit.EdgeCluster;

/** The stream edge as the test cluster runs it on every node. */
public final class StreamEdge {

  public static final EdgeCluster.Role<StreamVerticle> ROLE =
      new EdgeCluster.Role<>(StreamVerticle::new, StreamVerticle::actualPort);

  private StreamEdge() {}
}
