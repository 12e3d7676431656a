package com.portfoliostream.common.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;

/**
 * PEM files of the event bus's mutual TLS: this node's certificate and key, and the certificates a
 * peer's must chain to (the cluster CA, or the one certificate every node shares).
 */
public record ClusterTls(Path certPath, Path keyPath, Path caPath) {

  /**
   * Whether cluster traffic on {@code host} stays on this machine. A name that does not resolve
   * counts as off-host, so a typo never turns TLS off.
   */
  public static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
