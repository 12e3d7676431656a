package com.portfoliostream.common.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Which addresses stay on this machine. A host name counts as loopback only when every address it
 * resolves to is; one that does not resolve counts as off-host, so a doubt never opens the demo
 * to the network.
 */
public final class BindAddresses {

  private BindAddresses() {}

  /** {@code 0.0.0.0} or {@code ::}: every interface. */
  public static boolean isWildcard(String host) {
    try {
      return isLiteral(host) && InetAddress.getByName(host).isAnyLocalAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  public static boolean isLoopback(String host) {
    String name = host.trim().toLowerCase(Locale.ROOT);
    if (name.equals("localhost")) {
      return true;
    }
    try {
      InetAddress[] addresses = InetAddress.getAllByName(name);
      return addresses.length > 0 && Arrays.stream(addresses).allMatch(InetAddress::isLoopbackAddress);
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static boolean isLiteral(String host) {
    return host.contains(":") || host.matches("[0-9.]+");
  }
}
