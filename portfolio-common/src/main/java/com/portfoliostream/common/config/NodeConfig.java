package com.portfoliostream.common.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    String adminBindHost,
    String simBindHost,
    boolean allowPublicDemo,
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

  /**
   * Ingest and orders open broker credentials, the admin role seals them (linking and rotating an
   * account's secret); no other role loads CREDENTIALS_KEY.
   */
  public boolean usesBrokerCredentials() {
    return hasRole(Role.INGEST) || hasRole(Role.ORDERS) || hasRole(Role.ADMIN);
  }

  /**
   * The addresses this node's HTTP servers listen on, by the setting that names them: the edge
   * with the stream role, the management port always, the simulator with its role.
   */
  public Map<Setting, String> httpBinds() {
    Map<Setting, String> binds = new LinkedHashMap<>();
    if (hasRole(Role.STREAM)) {
      binds.put(Setting.BIND_HOST, bindHost);
    }
    binds.put(Setting.ADMIN_BIND_HOST, adminBindHost);
    if (hasRole(Role.SIMULATOR)) {
      binds.put(Setting.SIM_BIND_HOST, simBindHost);
    }
    return binds;
  }

  /** Safe to log: secrets are left out. */
  @Override
  public String toString() {
    return "NodeConfig[port=" + bindHost + ":" + port + ", adminPort=" + adminBindHost + ":" + adminPort
        + ", simPort=" + simBindHost + ":" + simPort + ", roles=" + roles + ", dataDir=" + dataDir + ", database="
        + (databaseUrl.isPresent() ? "external" : "embedded") + ", cluster=" + clusterName + "@"
        + clusterHost + ":" + clusterPort + ", members=" + clusterMembers
        + ", clusterTls=" + clusterTls.isPresent() + ", demo=" + demo + "]";
  }
}
