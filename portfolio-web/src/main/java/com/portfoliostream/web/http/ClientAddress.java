package com.portfoliostream.web.http;

import com.portfoliostream.common.net.Cidr;
import io.vertx.core.http.HttpServerRequest;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * The address of the client behind a request. A direct peer is the client. From a trusted proxy
 * ({@code TRUSTED_PROXIES}), {@code X-Forwarded-For} is read from the right: the first hop that is
 * not itself a trusted proxy is the client (hops further left were written by the client and are
 * not believed). From anyone else the header is ignored, so a client cannot pick its own address.
 */
public final class ClientAddress {

  private static final int MAX_HOPS = 20;
  private final List<Cidr> trusted;

  public ClientAddress(List<Cidr> trusted) {
    this.trusted = List.copyOf(trusted);
  }

  public String of(HttpServerRequest request) {
    String peer = request.remoteAddress() == null ? "unknown" : request.remoteAddress().host();
    return of(peer, request.headers().getAll("X-Forwarded-For"));
  }

  /** The client of a request from {@code peer} carrying these X-Forwarded-For headers. */
  String of(String peer, List<String> forwarded) {
    if (!isTrusted(peer)) {
      return peer;
    }
    String client = peer;
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

  private boolean isTrusted(String address) {
    return Cidr.anyContains(trusted, address);
  }
}
