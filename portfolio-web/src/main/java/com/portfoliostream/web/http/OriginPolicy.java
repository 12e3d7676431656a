package com.portfoliostream.web.http;

import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Cross-site WebSocket hijacking defence: a browser always sends {@code Origin}; it must be the
 * node's own origin (the host the page was loaded from, over https when the node serves TLS) or one
 * listed in ALLOWED_ORIGINS (scheme, host and port).
 * Non-browser clients send no Origin and are judged by their session cookie alone.
 */
public final class OriginPolicy {

  private final List<String> allowed;

  public OriginPolicy(List<String> allowed) {
    this.allowed = allowed.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList();
  }

  public boolean permits(HttpServerRequest request) {
    String origin = request.getHeader("Origin");
    if (origin == null) {
      return true;
    }
    String normalized = origin.trim().toLowerCase(Locale.ROOT);
    if (allowed.contains(normalized)) {
      return true;
    }
    // Over TLS only an https page is our own: a page served in clear text under our name (on a
    // hostile network) must not open a socket. In clear text an https origin is a balancer's TLS.
    if (request.isSSL() && !normalized.startsWith("https://")) {
      return false;
    }
    String host = request.getHeader("Host");
    return host != null && host.toLowerCase(Locale.ROOT).equals(authorityOf(normalized));
  }

  private static String authorityOf(String origin) {
    try {
      URI uri = new URI(origin);
      if (uri.getHost() == null || !(origin.startsWith("http://") || origin.startsWith("https://"))) {
        return null;
      }
      return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    } catch (java.net.URISyntaxException e) {
      return null;
    }
  }
}
