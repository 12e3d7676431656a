package com.portfoliostream.simulator;

import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** A fresh simulator for every test, so no test sees another's accounts, orders or prices. */
@ExtendWith(VertxExtension.class)
abstract class SimulatorTestBase {

  protected SimulatorHarness sim;

  /** The settings of the simulator each test gets; the harness defaults unless a class needs others. */
  protected SimulatorSettings settings() {
    return SimulatorHarness.settings();
  }

  @BeforeEach
  void startSimulator() throws Exception {
    sim = SimulatorHarness.start(settings());
  }

  @AfterEach
  void stopSimulator() throws Exception {
    sim.close();
  }
}
