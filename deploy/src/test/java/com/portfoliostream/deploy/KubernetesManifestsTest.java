package com.portfoliostream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.KubernetesConfig;
import com.portfoliostream.common.cluster.ClusterBootstrap;
import com.portfoliostream.common.config.ConfigLoader;
import com.portfoliostream.common.config.NodeConfig;
import com.portfoliostream.common.config.Role;
import com.portfoliostream.common.config.Setting;
import com.portfoliostream.web.Paths;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The Kubernetes manifests under deploy/kubernetes")
class KubernetesManifestsTest {

  /** The roles each Deployment's node runs. */
  private static final Map<String, Set<Role>> ROLES = Map.of(
      "portfolio-edge", Set.of(Role.STREAM),
      "portfolio-broker", Set.of(Role.INGEST, Role.ORDERS),
      "portfolio-admin", Set.of(Role.ADMIN));
  /** Order jobs in flight get up to 20 s to finish after the drain (README, "The order queue"). */
  private static final int ORDER_JOBS_FINISH_SECONDS = 20;
  private static final String CLUSTER_TLS_SECRET = "portfolio-cluster-tls";
  /** The node's drain on SIGTERM (not a Setting in this branch yet). */
  private static final String DRAIN_SECONDS = "DRAIN_SECONDS";

  private static KubernetesManifests manifests;
  @TempDir Path dir;

  @BeforeAll
  static void load() throws IOException {
    manifests = KubernetesManifests.load();
  }

  @Test
  @DisplayName("are typed Kubernetes objects, every field one the API knows, every file listed in kustomization.yaml")
  void typed() throws IOException {
    try (var files = Files.list(KubernetesManifests.DIR)) {
      assertThat(KubernetesManifests.kustomizationResources()).containsExactlyInAnyOrderElementsOf(
          files.map(f -> f.getFileName().toString()).filter(f -> !f.equals("kustomization.yaml")).toList());
    }
    assertThat(manifests.all()).hasSizeGreaterThan(15)
        .noneMatch(object -> object instanceof GenericKubernetesResource);
    for (HasMetadata object : manifests.all()) {
      assertThat(UnknownFields.of(object)).as(object.getKind() + "/" + object.getMetadata().getName()).isEmpty();
    }
    assertThat(KubernetesManifests.names(manifests.deployments()))
        .containsExactlyInAnyOrder("Deployment/portfolio-edge", "Deployment/portfolio-broker", "Deployment/portfolio-admin");
  }

  @Test
  @DisplayName("probe liveness and readiness on the management port, and give the drain and the order jobs time before SIGKILL")
  void probesAndStopping() {
    for (Deployment deployment : manifests.deployments()) {
      String name = deployment.getMetadata().getName();
      Container node = KubernetesManifests.node(deployment);
      int adminPort = Integer.parseInt(environment(deployment).get(Setting.ADMIN_PORT.name()));
      assertProbe(name + " readiness", node, node.getReadinessProbe(), Paths.READINESS, adminPort);
      assertProbe(name + " liveness", node, node.getLivenessProbe(), Paths.LIVENESS, adminPort);
      assertProbe(name + " startup", node, node.getStartupProbe(), Paths.LIVENESS, adminPort);
      int drain = Integer.parseInt(environment(deployment).get(DRAIN_SECONDS));
      assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()).as(name)
          .isGreaterThan(drain + ORDER_JOBS_FINISH_SECONDS);
    }
  }

  @Test
  @DisplayName("declare the ports the node's settings make it listen on, and the edge Service and the Ingress reach the edge's")
  void ports() {
    for (Deployment deployment : manifests.deployments()) {
      Map<String, String> environment = environment(deployment);
      Map<String, Integer> ports = new HashMap<>();
      KubernetesManifests.node(deployment).getPorts().forEach(p -> ports.put(p.getName(), p.getContainerPort()));
      Map<String, Integer> expected = new HashMap<>(Map.of(
          "admin", integer(environment, Setting.ADMIN_PORT),
          "hazelcast", integer(environment, Setting.CLUSTER_PORT),
          "eventbus", integer(environment, Setting.CLUSTER_BUS_PORT)));
      if (ROLES.get(deployment.getMetadata().getName()).contains(Role.STREAM)) {
        expected.put("http", integer(environment, Setting.PORT));
      }
      assertThat(ports).as(deployment.getMetadata().getName()).isEqualTo(expected);
    }
    Deployment edge = manifests.named(Deployment.class, "portfolio-edge");
    Service service = manifests.named(Service.class, "portfolio-edge");
    assertThat(selects(service.getSpec().getSelector(), edge)).isTrue();
    ServicePort http = service.getSpec().getPorts().get(0);
    assertThat(KubernetesManifests.port(KubernetesManifests.node(edge), http.getTargetPort()))
        .isEqualTo(integer(environment(edge), Setting.PORT));
    IngressServiceBackend backend = manifests.named(Ingress.class, "portfolio-edge").getSpec().getRules().get(0)
        .getHttp().getPaths().get(0).getBackend().getService();
    assertThat(backend.getName()).isEqualTo(service.getMetadata().getName());
    assertThat(backend.getPort().getName()).isEqualTo(http.getName());
  }

  @Test
  @DisplayName("give each node a config it accepts, with its roles, and only ingest and orders the credentials key")
  void settingsLoad() throws IOException {
    Map<String, String> tls = TestSecrets.clusterTls(dir);
    for (Deployment deployment : manifests.deployments()) {
      String name = deployment.getMetadata().getName();
      Map<String, String> environment = environment(deployment);
      assertClusterTlsMounted(deployment, environment);
      environment.putAll(tls);
      NodeConfig config = ConfigLoader.load(environment);
      assertThat(config.roles()).as(name).isEqualTo(ROLES.get(name));
      assertThat(environment.containsKey(Setting.CREDENTIALS_KEY.name())).as(name + " holds CREDENTIALS_KEY")
          .isEqualTo(config.usesBrokerCredentials());
      assertThat(environment).as(name).containsKeys(Setting.DATABASE_URL.name());
      assertThat(config.clusterHost()).as("CLUSTER_HOST is the pod's IP").isEqualTo("10.244.1.7");
    }
    assertThat(environment(manifests.named(Deployment.class, "portfolio-edge")))
        .containsEntry(Setting.BIND_HOST.name(), "0.0.0.0").containsEntry(Setting.COOKIE_SECURE.name(), "true")
        .containsKey(Setting.TRUSTED_PROXIES.name());
  }

  @Test
  @DisplayName("discover the cluster through a headless service of every node pod, ready or not, on CLUSTER_PORT")
  void kubernetesDiscovery() throws IOException {
    Map<String, String> tls = TestSecrets.clusterTls(dir);
    for (Deployment deployment : manifests.deployments()) {
      Map<String, String> environment = environment(deployment);
      environment.putAll(tls);
      NodeConfig config = ConfigLoader.load(environment);
      KubernetesConfig discovery = ClusterBootstrap.hazelcastConfig(config).getAdvancedNetworkConfig().getJoin()
          .getKubernetesConfig();
      assertThat(discovery.isEnabled()).as(deployment.getMetadata().getName()).isTrue();

      Service service = manifests.named(Service.class, discovery.getProperty(ClusterBootstrap.KUBERNETES_SERVICE_NAME));
      assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
      assertThat(service.getSpec().getPublishNotReadyAddresses()).isTrue();
      assertThat(selects(service.getSpec().getSelector(), deployment)).isTrue();
      assertThat(service.getSpec().getPorts()).extracting(ServicePort::getPort).containsExactly(config.clusterPort());
      assertThat(discovery.getProperty(ClusterBootstrap.KUBERNETES_SERVICE_PORT)).isEqualTo(Integer.toString(config.clusterPort()));
    }
  }

  @Test
  @DisplayName("let the pods' service account read the endpoints and pods discovery asks for, in their namespace only")
  void rbac() {
    assertThat(manifests.of(ClusterRole.class)).isEmpty();
    Set<String> accounts = Set.copyOf(manifests.deployments().stream()
        .map(d -> d.getSpec().getTemplate().getSpec().getServiceAccountName()).toList());
    assertThat(accounts).hasSize(1);
    RoleBinding binding = manifests.of(RoleBinding.class).get(0);
    assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
      assertThat(subject.getKind()).isEqualTo("ServiceAccount");
      assertThat(subject.getName()).isEqualTo(accounts.iterator().next());
    });
    assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
    List<PolicyRule> rules = manifests.named(io.fabric8.kubernetes.api.model.rbac.Role.class, binding.getRoleRef().getName()).getRules();
    assertThat(allowed(rules, "", "endpoints")).containsExactlyInAnyOrder("get", "list");
    assertThat(allowed(rules, "", "pods")).containsExactlyInAnyOrder("get", "list");
    assertThat(allowed(rules, "discovery.k8s.io", "endpointslices")).containsExactlyInAnyOrder("get", "list");
    assertThat(allowed(rules, "", "secrets")).isEmpty();
  }

  @Test
  @DisplayName("open the cluster ports only to the cluster's own pods, the edge port to the ingress controller")
  void networkPolicies() {
    List<NetworkPolicy> policies = manifests.of(NetworkPolicy.class);
    for (Deployment deployment : manifests.deployments()) {
      Container node = KubernetesManifests.node(deployment);
      Set<Integer> clusterPorts = Set.of(portNamed(node, "hazelcast"), portNamed(node, "eventbus"));
      List<NetworkPolicy> selecting = policies.stream()
          .filter(p -> selects(p.getSpec().getPodSelector(), deployment)).toList();
      assertThat(selecting).as(deployment.getMetadata().getName() + " is isolated for ingress")
          .anyMatch(p -> p.getSpec().getPolicyTypes().contains("Ingress"));
      boolean clusterReachable = false;
      for (NetworkPolicy policy : selecting) {
        for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
          boolean opensClusterPort = rule.getPorts().isEmpty() || rule.getPorts().stream()
              .anyMatch(p -> clusterPorts.contains(KubernetesManifests.port(node, p.getPort())));
          if (opensClusterPort) {
            clusterReachable = true;
            assertThat(rule.getFrom()).as(policy.getMetadata().getName() + ": from somebody, not everybody").isNotEmpty();
            rule.getFrom().forEach(peer -> assertOwnPods(policy, peer));
          }
        }
      }
      assertThat(clusterReachable).as(deployment.getMetadata().getName() + " reachable by its peers").isTrue();
    }
    NetworkPolicyIngressRule edgeRule = manifests.named(NetworkPolicy.class, "portfolio-edge-public").getSpec().getIngress().get(0);
    Container edge = KubernetesManifests.node(manifests.named(Deployment.class, "portfolio-edge"));
    assertThat(edgeRule.getPorts()).extracting(p -> KubernetesManifests.port(edge, p.getPort()))
        .containsExactly(portNamed(edge, "http"));
    assertThat(edgeRule.getFrom()).singleElement().satisfies(peer -> {
      assertThat(peer.getNamespaceSelector()).isNotNull();
      assertThat(peer.getIpBlock()).isNull();
    });
  }

  @Test
  @DisplayName("keep all edges but one through voluntary disruptions, and bound every node's CPU and memory")
  void disruptionsAndResources() {
    Deployment edge = manifests.named(Deployment.class, "portfolio-edge");
    PodDisruptionBudget budget = manifests.named(PodDisruptionBudget.class, "portfolio-edge");
    assertThat(selects(budget.getSpec().getSelector(), edge)).isTrue();
    assertThat(budget.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));
    assertThat(edge.getSpec().getReplicas()).isGreaterThan(1);
    for (Deployment deployment : manifests.deployments()) {
      Container node = KubernetesManifests.node(deployment);
      assertThat(node.getResources().getRequests()).as(deployment.getMetadata().getName()).containsKeys("cpu", "memory");
      assertThat(node.getResources().getLimits()).as(deployment.getMetadata().getName()).containsKeys("cpu", "memory");
      PodSpec pod = deployment.getSpec().getTemplate().getSpec();
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
      assertThat(node.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
      assertThat(node.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
      assertThat(node.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    }
  }

  private static Map<String, String> environment(Deployment deployment) {
    return manifests.environment(deployment, field -> switch (field) {
      case "status.podIP" -> "10.244.1.7";
      case "metadata.name" -> deployment.getMetadata().getName() + "-7d4b9c-x2x4z";
      default -> throw new AssertionError("a field the test does not know: " + field);
    }, TestSecrets::value);
  }

  /** The CLUSTER_TLS_* paths are files of the cluster TLS secret, mounted read-only. */
  private static void assertClusterTlsMounted(Deployment deployment, Map<String, String> environment) {
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    String volume = pod.getVolumes().stream()
        .filter(v -> v.getSecret() != null && v.getSecret().getSecretName().equals(CLUSTER_TLS_SECRET))
        .findFirst().orElseThrow().getName();
    assertThat(pod.getVolumes().stream().filter(v -> v.getName().equals(volume)).findFirst().orElseThrow()
        .getSecret().getDefaultMode()).as("owner and group read only").isEqualTo(0440);
    VolumeMount mount = KubernetesManifests.node(deployment).getVolumeMounts().stream()
        .filter(m -> m.getName().equals(volume)).findFirst().orElseThrow();
    assertThat(mount.getReadOnly()).isTrue();
    Set<String> files = manifests.named(io.fabric8.kubernetes.api.model.Secret.class, CLUSTER_TLS_SECRET).getStringData().keySet();
    for (Setting setting : List.of(Setting.CLUSTER_TLS_CERT_PATH, Setting.CLUSTER_TLS_KEY_PATH, Setting.CLUSTER_TLS_CA_PATH)) {
      Path path = Path.of(environment.get(setting.name()));
      assertThat(path.getParent()).as(setting.name()).isEqualTo(Path.of(mount.getMountPath()));
      assertThat(files).as(setting.name()).contains(path.getFileName().toString());
    }
  }

  private static void assertProbe(String what, Container node, Probe probe, String path, int port) {
    assertThat(probe).as(what).isNotNull();
    HTTPGetAction get = probe.getHttpGet();
    assertThat(get.getPath()).as(what).isEqualTo(path);
    assertThat(KubernetesManifests.port(node, get.getPort())).as(what).isEqualTo(port);
  }

  /** A peer allowed onto a cluster port: pods of this namespace with the cluster's labels, nothing wider. */
  private static void assertOwnPods(NetworkPolicy policy, NetworkPolicyPeer peer) {
    String where = policy.getMetadata().getName();
    assertThat(peer.getIpBlock()).as(where + ": no address block").isNull();
    assertThat(peer.getNamespaceSelector()).as(where + ": no other namespace").isNull();
    assertThat(peer.getPodSelector()).as(where + ": a pod selector").isNotNull();
    for (Deployment deployment : manifests.deployments()) {
      assertThat(selects(peer.getPodSelector(), deployment)).as(where + " admits " + deployment.getMetadata().getName()).isTrue();
    }
    assertThat(peer.getPodSelector().getMatchLabels()).as(where + ": only pods labelled as the cluster's")
        .containsEntry("app.kubernetes.io/part-of", "portfolio").containsEntry("app.kubernetes.io/name", "portfolio-node");
    assertThat(peer.getPodSelector().getMatchExpressions()).isEmpty();
  }

  private static boolean selects(LabelSelector selector, Deployment deployment) {
    assertThat(selector.getMatchExpressions()).isEmpty();
    return selects(selector.getMatchLabels(), deployment);
  }

  private static boolean selects(Map<String, String> labels, Deployment deployment) {
    return !labels.isEmpty() && deployment.getSpec().getTemplate().getMetadata().getLabels().entrySet().containsAll(labels.entrySet());
  }

  private static List<String> allowed(List<PolicyRule> rules, String group, String resource) {
    return rules.stream().filter(r -> r.getApiGroups().contains(group) && r.getResources().contains(resource))
        .flatMap(r -> r.getVerbs().stream()).toList();
  }

  private static int portNamed(Container node, String name) {
    return KubernetesManifests.port(node, new IntOrString(name));
  }

  private static int integer(Map<String, String> environment, Setting setting) {
    return Integer.parseInt(environment.getOrDefault(setting.name(), setting.defaultValue()));
  }
}
