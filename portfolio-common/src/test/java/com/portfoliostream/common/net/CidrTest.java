package com.portfoliostream.common.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CidrTest {

  @Test
  @DisplayName("blocks contain the addresses under their prefix and nothing else")
  void contains() throws Exception {
    Cidr ten = Cidr.parse("10.0.0.0/8").orElseThrow();
    Cidr odd = Cidr.parse("192.168.1.128/25").orElseThrow();
    Cidr six = Cidr.parse("fd00::/8").orElseThrow();

    assertThat(ten.contains(InetAddress.getByName("10.255.1.2"))).isTrue();
    assertThat(ten.contains(InetAddress.getByName("11.0.0.1"))).isFalse();
    assertThat(odd.contains(InetAddress.getByName("192.168.1.200"))).isTrue();
    assertThat(odd.contains(InetAddress.getByName("192.168.1.100"))).isFalse();
    assertThat(six.contains(InetAddress.getByName("fd12::1"))).isTrue();
    assertThat(six.contains(InetAddress.getByName("10.0.0.1"))).isFalse();
    assertThat(Cidr.parse("127.0.0.1").orElseThrow().prefix()).isEqualTo(32);
  }

  @Test
  @DisplayName("host names, bad prefixes and garbage are refused without asking DNS")
  void refuses() {
    assertThat(Cidr.parse("balancer.example.com")).isEmpty();
    assertThat(Cidr.parse("10.0.0.0/33")).isEmpty();
    assertThat(Cidr.parse("10.0.0.0/x")).isEmpty();
    assertThat(Cidr.parseList("10.0.0.0/8, nonsense")).isEmpty();
    assertThat(Cidr.parseList("")).contains(java.util.List.of());
  }
}
