package com.portfoliostream.common;

import com.portfoliostream.common.cluster.ClusterView;
import com.portfoliostream.common.config.NodeConfig;
import com.portfoliostream.common.security.CredentialCipher;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.sqlclient.Pool;

/**
 * What every verticle of a node shares: the node's identity, its config, its one database pool,
 * the credentials cipher, the metrics registry and its view of the cluster. Handed to verticles
 * through their constructors.
 */
public record NodeContext(String nodeId, NodeConfig config, Pool pool, CredentialCipher cipher,
    MeterRegistry metrics, ClusterView cluster) {}
