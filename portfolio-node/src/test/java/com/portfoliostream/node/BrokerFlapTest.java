package com.portfoliostream.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.testkit.BrokerFlap;
import com.portfoliostream.testkit.BrokerFlapRig;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The short variant of bin/benchmark-flap (issue 18 item 4): a broker node and an edge in their own
 * JVMs; alice and bob trade through the edge while the simulator cuts every trading stream every
 * 2.5 s for 30 s; afterwards the database equals the broker.
 */
@DisplayName("Broker trading streams flapping while orders fill")
class BrokerFlapTest {

  @Test
  @DisplayName("streams cut every 2.5 s for 30 s: afterwards positions, orders, trades and balances equal the broker's")
  void databaseEqualsBrokerAfterFlaps() throws Exception {
    try (BrokerFlapRig rig = BrokerFlapRig.start(Main.class, 5)) {
      BrokerFlap.Figures figures = new BrokerFlap(rig).run(Duration.ofSeconds(30), Duration.ofMillis(2500), 300,
          Duration.ofSeconds(60));
      System.out.println("Broker flap test: " + figures.summary());

      assertThat(figures.differences()).as("differences between the database and the broker").isEmpty();
      assertThat(figures.reconvergeMs()).as("equal within the settle time").isNotNegative();
      assertThat(figures.ordersPlaced()).isPositive();
      assertThat(figures.trades()).isEqualTo(figures.brokerFills());
      assertThat(figures.fillsRecovered()).as("fills the cut streams missed, applied from the broker's REST API")
          .isPositive();
      assertThat(figures.positionsCorrected())
          .as("positions the reconciler had to correct: every fill applied once, in broker order, needs none").isZero();
    }
  }
}
