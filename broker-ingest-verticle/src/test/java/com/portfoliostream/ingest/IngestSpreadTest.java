package com.portfoliostream.ingest;

import static com.portfoliostream.testkit.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.ingest.stream.StreamState;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Ingest across several nodes")
class IngestSpreadTest {

  @Test
  @DisplayName("two nodes share the accounts, each streamed by exactly one of them")
  void spread() throws Exception {
    try (IngestHarness harness = IngestHarness.start(2, Map.of())) {
      UUID alice = harness.account("alice").id();
      UUID bob = harness.account("bob").id();

      eventually(Duration.ofSeconds(30), "one listening stream on each node", () ->
          listening(harness, 0).size() == 1 && listening(harness, 1).size() == 1);

      Set<UUID> all = new java.util.HashSet<>(listening(harness, 0));
      all.addAll(listening(harness, 1));
      assertThat(all).containsExactlyInAnyOrder(alice, bob);
    }
  }

  private static Set<UUID> listening(IngestHarness harness, int node) {
    return harness.verticles.get(node).streams().entrySet().stream()
        .filter(e -> e.getValue() == StreamState.LISTENING).map(Map.Entry::getKey).collect(Collectors.toSet());
  }
}
