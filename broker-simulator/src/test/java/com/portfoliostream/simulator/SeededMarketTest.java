package com.portfoliostream.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.demo.DemoPortfolio;
import io.vertx.core.json.JsonArray;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("Two simulators")
class SeededMarketTest {

  private static final String ALICE = DemoPortfolio.USERS.get(0).account().orElseThrow().apiKeyId();

  @Test
  @DisplayName("with the same seed move the demo's prices along the same path, and with another seed along another")
  void samePath() throws Exception {
    List<JsonArray> first = pricePath(7);
    List<JsonArray> again = pricePath(7);
    List<JsonArray> other = pricePath(8);

    assertThat(again).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
  }

  /** Alice's positions (current prices, values, P&L) after each of 20 ticks. */
  private static List<JsonArray> pricePath(long seed) throws Exception {
    SimulatorSettings s = SimulatorHarness.settings();
    try (SimulatorHarness sim = SimulatorHarness.start(new SimulatorSettings(0, s.bindHost(), seed, 0,
        s.volatilityPercent(), s.partialFillQty(), s.partialFillDelayMs(), s.requestsPerMinute(), s.clockMode(),
        s.authTimeoutMs(), s.maxSymbols(), s.maxQueuedPoints(), s.barIntervalMs(), s.controlToken()))) {
      List<JsonArray> path = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        sim.simulator.tick().await();
        path.add(sim.simulator.positions(ALICE).await());
      }
      return path;
    }
  }
}
