package com.portfoliostream.common.config;

import java.util.Optional;

/**
 * How a node finds the rest of its cluster ({@code CLUSTER_DISCOVERY}): the fixed list of
 * {@code CLUSTER_MEMBERS} over TCP/IP, or the pods behind a Kubernetes service, asked of the
 * Kubernetes API with the pod's own service account (Hazelcast's built-in Kubernetes discovery).
 */
public record ClusterDiscovery(Mode mode, Optional<String> kubernetesService, Optional<String> kubernetesNamespace) {

  public enum Mode {
    MEMBERS, KUBERNETES
  }

  /** The choices of {@code CLUSTER_DISCOVERY}, as written in the setting. */
  public static final String MEMBERS = "members";
  public static final String KUBERNETES = "kubernetes";

  /** Reads and checks the three settings: Kubernetes discovery needs the service's name. */
  public static ClusterDiscovery from(RawSettings settings) {
    Mode mode = settings.choice(Setting.CLUSTER_DISCOVERY).equals(KUBERNETES) ? Mode.KUBERNETES : Mode.MEMBERS;
    Optional<String> service = settings.optional(Setting.CLUSTER_KUBERNETES_SERVICE);
    if (mode == Mode.KUBERNETES && service.isEmpty()) {
      throw new ConfigException("CLUSTER_DISCOVERY=kubernetes needs CLUSTER_KUBERNETES_SERVICE: the (headless) "
          + "service whose pods are the cluster's members");
    }
    return new ClusterDiscovery(mode, service, settings.optional(Setting.CLUSTER_KUBERNETES_NAMESPACE));
  }
}
