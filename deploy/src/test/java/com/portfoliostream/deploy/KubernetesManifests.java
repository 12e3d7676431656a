package com.portfoliostream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.common.config.Setting;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The manifests under deploy/kubernetes, read into fabric8's model of the Kubernetes API, in the
 * order kustomization.yaml lists them, with what the tests ask of them.
 */
final class KubernetesManifests {

  static final Path DIR = Commands.REPOSITORY.resolve("deploy/kubernetes");
  static final String SETTINGS = "portfolio-settings";

  private final Map<String, List<HasMetadata>> byFile;

  private KubernetesManifests(Map<String, List<HasMetadata>> byFile) {
    this.byFile = byFile;
  }

  static KubernetesManifests load() throws IOException {
    KubernetesSerialization serialization = new KubernetesSerialization();
    Map<String, List<HasMetadata>> byFile = new LinkedHashMap<>();
    for (String file : kustomizationResources()) {
      try (InputStream in = Files.newInputStream(DIR.resolve(file))) {
        byFile.put(file, objects(serialization.unmarshal(in)));
      }
    }
    return new KubernetesManifests(byFile);
  }

  @SuppressWarnings("unchecked")
  static List<String> kustomizationResources() throws IOException {
    Map<String, Object> kustomization = (Map<String, Object>) new Load(LoadSettings.builder().build())
        .loadFromString(Files.readString(DIR.resolve("kustomization.yaml")));
    return (List<String>) kustomization.get("resources");
  }

  @SuppressWarnings("unchecked")
  private static List<HasMetadata> objects(Object unmarshalled) {
    if (unmarshalled instanceof KubernetesList list) {
      return list.getItems();
    }
    if (unmarshalled instanceof List<?> list) {
      return (List<HasMetadata>) list;
    }
    return List.of((HasMetadata) unmarshalled);
  }

  Map<String, List<HasMetadata>> byFile() {
    return byFile;
  }

  List<HasMetadata> all() {
    return byFile.values().stream().flatMap(List::stream).toList();
  }

  <T extends HasMetadata> List<T> of(Class<T> kind) {
    return all().stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  <T extends HasMetadata> T named(Class<T> kind, String name) {
    return of(kind).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " " + name));
  }

  List<Deployment> deployments() {
    return of(Deployment.class);
  }

  static Container node(Deployment deployment) {
    List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
    assertThat(containers).as(deployment.getMetadata().getName() + " runs one container").hasSize(1);
    return containers.get(0);
  }

  String sharedSetting(Setting setting) {
    return named(ConfigMap.class, SETTINGS).getData().get(setting.name());
  }

  /**
   * The environment the node of {@code deployment} starts with: the ConfigMaps it loads, then its
   * own variables, with a field reference answered by {@code fields} and a secret reference by
   * {@code secrets} (after checking the Secret has that key).
   */
  Map<String, String> environment(Deployment deployment, Function<String, String> fields, Function<String, String> secrets) {
    Container node = node(deployment);
    Map<String, String> environment = new LinkedHashMap<>();
    node.getEnvFrom().forEach(source -> environment.putAll(
        named(ConfigMap.class, source.getConfigMapRef().getName()).getData()));
    for (EnvVar variable : node.getEnv()) {
      environment.put(variable.getName(), value(variable, fields, secrets));
    }
    return environment;
  }

  private String value(EnvVar variable, Function<String, String> fields, Function<String, String> secrets) {
    if (variable.getValueFrom() == null) {
      return Objects.requireNonNull(variable.getValue(), variable.getName());
    }
    if (variable.getValueFrom().getFieldRef() != null) {
      return fields.apply(variable.getValueFrom().getFieldRef().getFieldPath());
    }
    var reference = variable.getValueFrom().getSecretKeyRef();
    assertThat(named(Secret.class, reference.getName()).getStringData()).as("Secret " + reference.getName())
        .containsKey(reference.getKey());
    return secrets.apply(reference.getKey());
  }

  /** The number a port reference (a number, or the name of one of the container's ports) stands for. */
  static int port(Container container, IntOrString port) {
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    return container.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName())).findFirst()
        .orElseThrow(() -> new AssertionError(container.getName() + " has no port named " + port.getStrVal()))
        .getContainerPort();
  }

  static List<String> names(List<? extends HasMetadata> objects) {
    List<String> names = new ArrayList<>();
    objects.forEach(o -> names.add(o.getKind() + "/" + o.getMetadata().getName()));
    return names;
  }
}
