package com.portfoliostream.common.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A node's whole configuration, validated. Built only by {@link ConfigLoader}; see {@link Setting}
 * for what each field means and its default.
 */
public record NodeConfig(
    int port,
    int adminPort,
    int simPort,
    String bindHost,
    Set<Role> roles,
    Path dataDir,
    Optional<String> databaseUrl,
    int databasePoolSize,
    String clusterName,
    String clusterHost,
    int clusterPort,
    List<String> clusterMembers,
    Optional<ClusterTls> clusterTls,
    boolean demo,
    String demoPassword,
    Optional<String> credentialsKey,
    StreamSettings stream,
    RawSettings settings) {

  public NodeConfig {
    roles = Set.copyOf(roles);
    clusterMembers = List.copyOf(clusterMembers);
  }

  public boolean hasRole(Role role) {
    return roles.contains(role);
  }

  /** Safe to log: secrets are left out. */
  @Override
  public String toString() {
    return "NodeConfig[port=" + port + ", adminPort=" + adminPort + ", simPort=" + simPort
        + ", roles=" + roles + ", dataDir=" + dataDir + ", database="
        + (databaseUrl.isPresent() ? "external" : "embedded") + ", cluster=" + clusterName + "@"
        + clusterHost + ":" + clusterPort + ", members=" + clusterMembers
        + ", clusterTls=" + clusterTls.isPresent() + ", demo=" + demo + "]";
  }
}
