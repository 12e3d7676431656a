package com.portfoliostream.common;

import com.portfoliostream.common.cluster.ClusterView;
import com.portfoliostream.common.config.NodeConfig;
import com.portfoliostream.common.control.ControlSignals;
import com.portfoliostream.common.security.CredentialCipher;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.sqlclient.Pool;

/**
 * What every verticle of a node shares: the node's identity, its config, its one database pool,
 * the credentials cipher, the metrics registry, its view of the cluster and the operators' change
 * signals (one poller per node). Handed to verticles through their constructors.
 */
public record NodeContext(String nodeId, NodeConfig config, Pool pool, CredentialCipher cipher,
    MeterRegistry metrics, ClusterView cluster, ControlSignals control) {

  /** With its own change signals over {@code pool}. */
  public NodeContext(String nodeId, NodeConfig config, Pool pool, CredentialCipher cipher, MeterRegistry metrics,
      ClusterView cluster) {
    this(nodeId, config, pool, cipher, metrics, cluster, new ControlSignals(pool));
  }
}
