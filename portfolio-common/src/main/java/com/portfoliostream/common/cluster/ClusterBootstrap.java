package com.portfoliostream.common.cluster;

import com.hazelcast.config.ClasspathXmlConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.portfoliostream.common.config.NodeConfig;
import io.vertx.core.Future;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * Joins the node to the cluster: Hazelcast from {@code cluster.xml}, with the node's own name,
 * address, port and members from its config, and a clustered Vert.x on top of it.
 */
public final class ClusterBootstrap {

  public static final String CLUSTER_XML = "cluster.xml";

  private ClusterBootstrap() {}

  public static Config hazelcastConfig(NodeConfig node) {
    System.setProperty("hazelcast.logging.type", "slf4j");
    Config config = new ClasspathXmlConfig(CLUSTER_XML);
    config.setClusterName(node.clusterName());
    config.setProperty("hazelcast.local.localAddress", node.clusterHost());
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(node.clusterPort());
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(node.clusterMembers());
    return config;
  }

  public static HazelcastClusterManager clusterManager(NodeConfig node) {
    return new HazelcastClusterManager(hazelcastConfig(node));
  }

  /** Starts a clustered Vert.x without Vert.x metrics; completes once this node is a member. */
  public static Future<Vertx> start(NodeConfig node, VertxOptions options, HazelcastClusterManager clusterManager) {
    return builder(node, options, clusterManager).buildClustered();
  }

  /**
   * Starts a clustered Vert.x whose own metrics (HTTP servers and clients, event bus, pools) go
   * into {@code metrics}, the node's one registry, beside the meters of our modules.
   */
  public static Future<Vertx> start(NodeConfig node, VertxOptions options, HazelcastClusterManager clusterManager,
      MeterRegistry metrics) {
    options.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true));
    return builder(node, options, clusterManager).withMetrics(new MicrometerMetricsFactory(metrics)).buildClustered();
  }

  private static VertxBuilder builder(NodeConfig node, VertxOptions options, HazelcastClusterManager clusterManager) {
    options.setEventBusOptions(new EventBusOptions()
        .setHost(node.clusterHost())
        .setClusterPublicHost(node.clusterHost())
        .setPort(0));
    return Vertx.builder().with(options).withClusterManager(clusterManager);
  }
}
