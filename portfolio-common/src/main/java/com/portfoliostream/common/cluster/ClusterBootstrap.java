package com.portfoliostream.common.cluster;

import com.hazelcast.config.AdvancedNetworkConfig;
import com.hazelcast.config.ClasspathXmlConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.KubernetesConfig;
import com.hazelcast.config.ServerSocketEndpointConfig;
import com.hazelcast.instance.EndpointQualifier;
import com.hazelcast.instance.ProtocolType;
import com.portfoliostream.common.config.ClusterDiscovery;
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
import com.portfoliostream.common.config.ConfigException;
import com.portfoliostream.common.config.Setting;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Joins the node to the cluster: Hazelcast from {@code cluster.xml}, with the node's own name,
 * address, port and members from its config, and a clustered Vert.x on top of it.
 */
public final class ClusterBootstrap {

  public static final String CLUSTER_XML = "cluster.xml";
  /** Hazelcast's names of the Kubernetes discovery properties we set from the node's settings. */
  public static final String KUBERNETES_SERVICE_NAME = "service-name";
  public static final String KUBERNETES_SERVICE_PORT = "service-port";
  public static final String KUBERNETES_NAMESPACE = "namespace";

  private ClusterBootstrap() {}

  /**
   * Hazelcast bound to {@code CLUSTER_HOST} only, speaking the member protocol only, joining only
   * {@code CLUSTER_MEMBERS} or the pods of {@code CLUSTER_KUBERNETES_SERVICE}. The advanced network of {@code cluster.xml} has a member endpoint and
   * no client endpoint: on that socket Hazelcast accepts the member protocol alone (a client's
   * handshake is answered "unexpected protocol" and closed), so no Hazelcast client can connect
   * and read the clustered maps. {@code hazelcast.socket.bind.any=false} with the interface set
   * makes it bind the address instead of the wildcard.
   */
  public static Config hazelcastConfig(NodeConfig node) {
    System.setProperty("hazelcast.logging.type", "slf4j");
    Config config = new ClasspathXmlConfig(CLUSTER_XML);
    config.setClusterName(node.clusterName());
    config.setProperty("hazelcast.local.localAddress", node.clusterHost());
    config.setProperty("hazelcast.socket.bind.any", "false");
    AdvancedNetworkConfig network = config.getAdvancedNetworkConfig();
    if (!network.isEnabled() || network.getEndpointConfigs().keySet().stream()
        .anyMatch(endpoint -> endpoint.getType() != ProtocolType.MEMBER)) {
      throw new IllegalStateException(CLUSTER_XML + " must enable the advanced network with a member endpoint only");
    }
    ServerSocketEndpointConfig member = (ServerSocketEndpointConfig) network.getEndpointConfigs().get(EndpointQualifier.MEMBER);
    member.setPort(node.clusterPort());
    member.getInterfaces().setEnabled(true).setInterfaces(List.of(interfaceAddress(node.clusterHost())));
    join(network.getJoin(), node, ClusterDiscovery.from(node.settings()));
    return config;
  }

  /**
   * TCP/IP to {@code CLUSTER_MEMBERS}, or Hazelcast's Kubernetes discovery (API mode) of the pods
   * behind the service, ready or not: readiness waits for cluster membership, so pods must find
   * each other before any is ready. Asking for public addresses is off (no Hazelcast client comes
   * from outside), which spares the service account the right to read services and nodes.
   */
  private static void join(JoinConfig join, NodeConfig node, ClusterDiscovery discovery) {
    join.getMulticastConfig().setEnabled(false);
    if (discovery.mode() == ClusterDiscovery.Mode.MEMBERS) {
      join.getTcpIpConfig().setEnabled(true).setMembers(node.clusterMembers());
      return;
    }
    join.getTcpIpConfig().setEnabled(false);
    KubernetesConfig kubernetes = join.getKubernetesConfig().setEnabled(true)
        .setProperty(KUBERNETES_SERVICE_NAME, discovery.kubernetesService().orElseThrow())
        .setProperty(KUBERNETES_SERVICE_PORT, Integer.toString(node.clusterPort()))
        .setProperty("resolve-not-ready-addresses", "true")
        .setProperty("expose-externally", "false");
    discovery.kubernetesNamespace().ifPresent(namespace -> kubernetes.setProperty(KUBERNETES_NAMESPACE, namespace));
  }

  /** Hazelcast matches interfaces by IP address; a host name is resolved once, here. */
  private static String interfaceAddress(String clusterHost) {
    try {
      return InetAddress.getByName(clusterHost).getHostAddress();
    } catch (UnknownHostException e) {
      throw new ConfigException("CLUSTER_HOST " + clusterHost + " does not resolve to an address of this node");
    }
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
        .setPort(node.settings().integer(Setting.CLUSTER_BUS_PORT));
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
