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
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
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
    options.setEventBusOptions(eventBusOptions(node));
    return Vertx.builder().with(options).withClusterManager(clusterManager);
  }

  /**
   * The event bus binds and announces CLUSTER_HOST; with {@code CLUSTER_TLS_*} it runs mutual TLS:
   * our client refuses a peer server without a certificate of the cluster CA (a stranger that
   * registered itself in {@code __vertx.subs} gets nothing), and our server refuses a client without
   * one (a stranger cannot deliver). Peers' hostnames are not verified: the addresses they are dialled
   * at come from Hazelcast, which anyone on the cluster network can write, so only the CA decides
   * who is a member (and Vert.x turns the event bus client's hostname verification off anyway).
   */
  public static EventBusOptions eventBusOptions(NodeConfig node) {
    EventBusOptions options = new EventBusOptions()
        .setHost(node.clusterHost())
        .setClusterPublicHost(node.clusterHost())
        .setPort(0);
    node.clusterTls().ifPresent(tls -> options
        .setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions()
            .setCertPath(tls.certPath().toString())
            .setKeyPath(tls.keyPath().toString()))
        .setTrustOptions(new PemTrustOptions().addCertPath(tls.caPath().toString()))
        .setClientAuth(ClientAuth.REQUIRED));
    return options;
  }
}
