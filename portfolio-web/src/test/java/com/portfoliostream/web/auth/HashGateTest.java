package com.portfoliostream.web.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HashGateTest {

  @Test
  @DisplayName("admits at most the node's bound, and two per username; leaving frees a place")
  void bounds() {
    HashGate gate = new HashGate(3);

    assertThat(gate.enter("alice")).isTrue();
    assertThat(gate.enter("alice")).isTrue();
    assertThat(gate.enter("alice")).as("a third hash for one username").isFalse();
    assertThat(gate.enter("bob")).isTrue();
    assertThat(gate.enter("carol")).as("over the node's bound").isFalse();
    gate.leave("alice");
    assertThat(gate.enter("carol")).isTrue();
    assertThat(gate.inFlight()).isEqualTo(3);
  }
}
