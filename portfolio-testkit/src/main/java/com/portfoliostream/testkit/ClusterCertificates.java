package com.portfoliostream.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Event-bus certificates for tests, made by the operators' own tool ({@code bin/cluster-certs}):
 * a cluster CA and a certificate and key per node, in a temporary folder.
 */
public final class ClusterCertificates {

  private final Path dir;

  private ClusterCertificates(Path dir) {
    this.dir = dir;
  }

  /** Runs {@code bin/cluster-certs} for {@code nodes}; fails when it does not succeed in a minute. */
  public static ClusterCertificates make(String... nodes) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("cluster-certs");
    List<String> command = new ArrayList<>(List.of("bash", BrowserScripts.REPO.resolve("bin/cluster-certs").toString(),
        dir.toString()));
    command.addAll(List.of(nodes));
    Process process = new ProcessBuilder(command).inheritIO().start();
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException("bin/cluster-certs failed for " + List.of(nodes));
    }
    return new ClusterCertificates(dir);
  }

  /** CLUSTER_TLS_CERT_PATH, CLUSTER_TLS_KEY_PATH and CLUSTER_TLS_CA_PATH of {@code node}. */
  public Map<String, String> settings(String node) {
    return Map.of("CLUSTER_TLS_CERT_PATH", dir.resolve(node + ".pem").toString(),
        "CLUSTER_TLS_KEY_PATH", dir.resolve(node + "-key.pem").toString(),
        "CLUSTER_TLS_CA_PATH", dir.resolve("ca.pem").toString());
  }
}
