package com.portfoliostream.web.http;

import com.portfoliostream.common.net.Cidr;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * The address of the client behind a request. A direct peer is the client. From a trusted proxy
 * ({@code TRUSTED_PROXIES}), the source its PROXY protocol header names (PROXY_PROTOCOL) is the
 * next hop, then {@code X-Forwarded-For} is read from the right: the first hop that is not itself
 * a trusted proxy is the client (hops further left were written by the client and are not
 * believed). From anyone else both are ignored, so a client cannot pick its own address.
 */
public final class ClientAddress {

  private static final int MAX_HOPS = 20;
  private final List<Cidr> trusted;

  public ClientAddress(List<Cidr> trusted) {
    this.trusted = List.copyOf(trusted);
  }

  public String of(HttpServerRequest request) {
    return of(peer(request.connection()), proxied(request.connection()), request.headers().getAll("X-Forwarded-For"));
  }

  /**
   * The client of a connection before any request: the peer, or the PROXY protocol's source when
   * the peer is a trusted proxy.
   */
  public String of(HttpConnection connection) {
    return of(peer(connection), proxied(connection), List.of());
  }

  /** True when {@code address} is a trusted proxy's. */
  public boolean isTrusted(String address) {
    return Cidr.anyContains(trusted, address);
  }

  /** The TCP peer, whatever a PROXY header says. */
  private static String peer(HttpConnection connection) {
    SocketAddress peer = connection.remoteAddress();
    return peer == null || peer.host() == null ? "unknown" : peer.host();
  }

  /** The source a PROXY protocol header named, if the connection began with one. */
  private static Optional<String> proxied(HttpConnection connection) {
    return ProxyProtocol.source(connection);
  }

  /**
   * The client of a request from {@code peer} whose PROXY header named {@code proxied} (the peer
   * itself without one), carrying these X-Forwarded-For headers.
   */
  String of(String peer, Optional<String> proxied, List<String> forwarded) {
    if (!isTrusted(peer)) {
      return peer;
    }
    String client = peer;
    if (proxied.isPresent() && !proxied.get().equals(peer)) {
      Optional<InetAddress> source = Cidr.literal(proxied.get());
      if (source.isEmpty()) {
        return client;
      }
      client = source.get().getHostAddress();
      if (!isTrusted(client)) {
        return client;
      }
    }
    int hops = 0;
    for (int h = forwarded.size() - 1; h >= 0; h--) {
      String[] entries = forwarded.get(h).split(",");
      for (int i = entries.length - 1; i >= 0; i--) {
        Optional<InetAddress> hop = Cidr.literal(entries[i].trim());
        if (hop.isEmpty() || ++hops > MAX_HOPS) {
          return client;
        }
        client = hop.get().getHostAddress();
        if (!isTrusted(client)) {
          return client;
        }
      }
    }
    return client;
  }

}
