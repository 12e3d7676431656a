package com.portfoliostream.web.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.common.net.Cidr;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ClientAddressTest {

  private final ClientAddress behindBalancers =
      new ClientAddress(Cidr.parseList("10.0.0.0/8, fd00::/8, 192.168.1.5").orElseThrow());

  @Test
  @DisplayName("from an untrusted peer X-Forwarded-For is ignored")
  void untrustedPeer() {
    assertThat(behindBalancers.of("203.0.113.9", List.of("1.2.3.4"))).isEqualTo("203.0.113.9");
    assertThat(new ClientAddress(List.of()).of("10.0.0.1", List.of("1.2.3.4"))).isEqualTo("10.0.0.1");
  }

  @Test
  @DisplayName("from a trusted proxy the rightmost hop that is not a trusted proxy is the client")
  void trustedChain() {
    assertThat(behindBalancers.of("10.0.0.1", List.of("203.0.113.7"))).isEqualTo("203.0.113.7");
    assertThat(behindBalancers.of("10.0.0.1", List.of("6.6.6.6, 203.0.113.7, 10.1.1.1"))).isEqualTo("203.0.113.7");
    assertThat(behindBalancers.of("192.168.1.5", List.of("6.6.6.6", "203.0.113.7"))).isEqualTo("203.0.113.7");
    assertThat(behindBalancers.of("fd00::1", List.of("2001:db8::7"))).isEqualTo("2001:db8:0:0:0:0:0:7");
  }

  @Test
  @DisplayName("a hop that is not an address ends the chain at the last address believed")
  void garbageHop() {
    assertThat(behindBalancers.of("10.0.0.1", List.of("evil.example.com, 10.2.2.2"))).isEqualTo("10.2.2.2");
    assertThat(behindBalancers.of("10.0.0.1", List.of())).isEqualTo("10.0.0.1");
  }
}
