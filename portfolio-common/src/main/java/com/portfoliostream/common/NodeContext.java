package com.portfoliostream.common;

import com.portfoliostream.common.config.NodeConfig;
import com.portfoliostream.common.security.CredentialCipher;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.sqlclient.Pool;

/**
 * What every verticle of a node shares: the node's identity, its config, its one database pool,
 * the credentials cipher and the metrics registry. Handed to verticles through their constructors.
 */
public record NodeContext(String nodeId, NodeConfig config, Pool pool, CredentialCipher cipher,
    MeterRegistry metrics) {}
