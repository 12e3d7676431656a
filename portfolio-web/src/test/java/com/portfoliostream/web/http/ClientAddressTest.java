package com.portfoliostream.web.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.common.net.Cidr;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ClientAddressTest {

  private final ClientAddress behindBalancers =
      new ClientAddress(Cidr.parseList("10.0.0.0/8, fd00::/8, 192.168.1.5").orElseThrow());

  @Test
  @DisplayName("from an untrusted peer X-Forwarded-For is ignored")
  void untrustedPeer() {
    assertThat(behindBalancers.of("203.0.113.9", Optional.empty(), List.of("1.2.3.4"))).isEqualTo("203.0.113.9");
    assertThat(new ClientAddress(List.of()).of("10.0.0.1", Optional.empty(), List.of("1.2.3.4"))).isEqualTo("10.0.0.1");
  }

  @Test
  @DisplayName("from a trusted proxy the rightmost hop that is not a trusted proxy is the client")
  void trustedChain() {
    assertThat(behindBalancers.of("10.0.0.1", Optional.empty(), List.of("203.0.113.7"))).isEqualTo("203.0.113.7");
    assertThat(behindBalancers.of("10.0.0.1", Optional.empty(), List.of("6.6.6.6, 203.0.113.7, 10.1.1.1"))).isEqualTo("203.0.113.7");
    assertThat(behindBalancers.of("192.168.1.5", Optional.empty(), List.of("6.6.6.6", "203.0.113.7"))).isEqualTo("203.0.113.7");
    assertThat(behindBalancers.of("fd00::1", Optional.empty(), List.of("2001:db8::7"))).isEqualTo("2001:db8:0:0:0:0:0:7");
  }

  @Test
  @DisplayName("a hop that is not an address ends the chain at the last address believed")
  void garbageHop() {
    assertThat(behindBalancers.of("10.0.0.1", Optional.empty(), List.of("evil.example.com, 10.2.2.2"))).isEqualTo("10.2.2.2");
    assertThat(behindBalancers.of("10.0.0.1", Optional.empty(), List.of())).isEqualTo("10.0.0.1");
  }

  @Test
  @DisplayName("from a trusted proxy the PROXY header's source is the client; from anyone else it is ignored")
  void proxyProtocol() {
    assertThat(behindBalancers.of("10.0.0.1", Optional.of("203.0.113.7"), List.of())).isEqualTo("203.0.113.7");
    assertThat(behindBalancers.of("10.0.0.1", Optional.of("203.0.113.7"), List.of("6.6.6.6")))
        .as("X-Forwarded-For past an untrusted PROXY source is the client's own word").isEqualTo("203.0.113.7");
    assertThat(behindBalancers.of("10.0.0.1", Optional.of("10.9.9.9"), List.of("203.0.113.8")))
        .as("a PROXY source that is itself a balancer passes on to X-Forwarded-For").isEqualTo("203.0.113.8");
    assertThat(behindBalancers.of("203.0.113.9", Optional.of("1.2.3.4"), List.of()))
        .as("a stranger's PROXY header").isEqualTo("203.0.113.9");
  }
}
