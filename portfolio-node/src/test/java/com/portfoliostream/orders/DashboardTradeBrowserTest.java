package com.portfoliostream.orders;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.testkit.BrowserScripts;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The trader dashboard in headless Chromium against a whole trading path: the stream edge, the order
 * workers, the broker simulator and ingest. Nothing is published by the test: every change the page
 * shows comes from the broker. Screenshots: target/screenshots/.
 */
@DisplayName("Trading from the dashboard, end to end")
class DashboardTradeBrowserTest {

  static OrderQueueHarness harness;

  @BeforeAll
  static void start() throws Exception {
    BrowserScripts.ensureNodeModules();
    harness = OrderQueueHarness.start(1, true, Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    harness.close();
  }

  @Test
  @DisplayName("a market order from the ticket fills into orders, positions and fills; a resting limit order is canceled from its row; a rejection shows the broker's reason")
  void trade() throws Exception {
    BrowserScripts.Run run = BrowserScripts.run(List.of("node", "browser-tests/dashboard.mjs",
        "http://127.0.0.1:" + harness.cluster.node(0).port(), "trade", BrowserScripts.SCREENSHOTS.toString()), Map.of());

    assertThat(run.exitCode()).as("dashboard.mjs trade:%n%s", run.output()).isZero();
    assertThat(run.output()).contains("PASS trade");
    assertThat(harness.brokerOrders(OrderQueueHarness.ALICE_KEY).values().stream().flatMap(List::stream)
        .filter(o -> "AMZN".equals(o.getString("symbol")) && "filled".equals(o.getString("status")))).hasSize(1);
    assertThat(BrowserScripts.SCREENSHOTS.resolve("dashboard-trade-filled.png")).exists();
  }
}
