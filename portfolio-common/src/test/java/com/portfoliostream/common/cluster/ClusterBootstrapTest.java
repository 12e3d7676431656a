package com.portfoliostream.common.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.properties.PropertyDefinition;
import com.hazelcast.kubernetes.HazelcastKubernetesDiscoveryStrategyFactory;
import com.portfoliostream.common.config.ConfigException;
import com.portfoliostream.common.config.ConfigLoader;
import com.portfoliostream.common.config.NodeConfig;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The Hazelcast config a node builds")
class ClusterBootstrapTest {

  @Test
  @DisplayName("joins CLUSTER_MEMBERS over TCP/IP by default, with no Kubernetes discovery and a free event-bus port")
  void membersByDefault() {
    NodeConfig node = ConfigLoader.load(Map.of("CLUSTER_MEMBERS", "127.0.0.1:5701-5702"));
    JoinConfig join = join(ClusterBootstrap.hazelcastConfig(node));

    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("127.0.0.1:5701", "127.0.0.1:5702");
    assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(ClusterBootstrap.eventBusOptions(node).getPort()).isZero();
  }

  @Test
  @DisplayName("with CLUSTER_DISCOVERY=kubernetes asks the API for the service's pods, ready or not, on CLUSTER_PORT, and nothing else")
  void kubernetesDiscovery() {
    NodeConfig node = ConfigLoader.load(Map.of("CLUSTER_DISCOVERY", "kubernetes",
        "CLUSTER_KUBERNETES_SERVICE", "portfolio-cluster", "CLUSTER_KUBERNETES_NAMESPACE", "trading",
        "CLUSTER_PORT", "5701", "CLUSTER_BUS_PORT", "5801"));
    JoinConfig join = join(ClusterBootstrap.hazelcastConfig(node));
    join.verify();

    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperties()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "service-name", "portfolio-cluster", "namespace", "trading", "service-port", "5701",
        "resolve-not-ready-addresses", "true", "expose-externally", "false"));
    assertThat(hazelcastKubernetesProperties()).as("names Hazelcast's discovery knows")
        .containsAll(join.getKubernetesConfig().getProperties().keySet());
    assertThat(ClusterBootstrap.eventBusOptions(node).getPort()).isEqualTo(5801);
  }

  @Test
  @DisplayName("leaves the namespace to the pod's own when CLUSTER_KUBERNETES_NAMESPACE is empty")
  void podsOwnNamespace() {
    NodeConfig node = ConfigLoader.load(Map.of("CLUSTER_DISCOVERY", "kubernetes",
        "CLUSTER_KUBERNETES_SERVICE", "portfolio-cluster"));

    assertThat(join(ClusterBootstrap.hazelcastConfig(node)).getKubernetesConfig().getProperties())
        .doesNotContainKey("namespace");
  }

  @Test
  @DisplayName("refuses Kubernetes discovery without a service, and a discovery it does not know, at load")
  void refusesIncompleteDiscovery() {
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("CLUSTER_DISCOVERY", "kubernetes")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("CLUSTER_KUBERNETES_SERVICE");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("CLUSTER_DISCOVERY", "multicast")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("CLUSTER_DISCOVERY must be members or kubernetes");
  }

  private static JoinConfig join(Config config) {
    return config.getAdvancedNetworkConfig().getJoin();
  }

  private static java.util.Set<String> hazelcastKubernetesProperties() {
    return new HazelcastKubernetesDiscoveryStrategyFactory().getConfigurationProperties().stream()
        .map(PropertyDefinition::key).collect(Collectors.toSet());
  }
}
