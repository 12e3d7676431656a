package com.portfoliostream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.testkit.Fixtures;
import com.portfoliostream.testkit.BrowserScripts;
import com.portfoliostream.testkit.EdgeCluster;
import com.portfoliostream.testkit.FreePorts;
import com.portfoliostream.testkit.TestClient;
import com.portfoliostream.events.model.Account;
import com.portfoliostream.events.model.Order;
import com.portfoliostream.events.model.OrderSide;
import com.portfoliostream.events.model.OrderStatus;
import com.portfoliostream.events.model.OrderType;
import com.portfoliostream.events.model.Position;
import com.portfoliostream.events.model.PositionSide;
import com.portfoliostream.events.model.TimeInForce;
import com.portfoliostream.events.model.Trade;
import com.portfoliostream.events.protocol.ServerEvents;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The trader dashboard in headless Chromium (browser-tests/dashboard.mjs) against a real stream
 * node with embedded PostgreSQL. Events are published as the ingest and order roles will publish
 * them. Screenshots: target/screenshots/.
 */
@DisplayName("The trader dashboard in a real browser")
class DashboardBrowserTest {

  private static EdgeCluster<StreamVerticle> cluster;
  private static UUID alice;
  /** Above any version the database holds, so live events are never older than the snapshot. */
  private static final AtomicLong VERSION = new AtomicLong(1_000_000);

  @BeforeAll
  static void startNode() throws Exception {
    BrowserScripts.ensureNodeModules();
    cluster = EdgeCluster.start(1, Map.of(), StreamEdge.ROLE);
    alice = Fixtures.userId(cluster.pool(), "alice");
  }

  @AfterAll
  static void stopNode() throws Exception {
    cluster.close();
  }

  @Test
  @DisplayName("/ leads to the dashboard; it and the client library are served as same-origin-only assets")
  void servesAssets() throws Exception {
    TestClient browser = new TestClient(cluster.clients(), cluster.node(0).port());

    var home = browser.get("/");
    var library = browser.get("/client/portfolio-client.js");

    assertThat(home.statusCode()).isEqualTo(200);
    assertThat(home.followedRedirects()).anyMatch(url -> url.endsWith("/app/"));
    assertThat(home.bodyAsString()).contains("<title>Portfolio · live</title>", "dashboard.js");
    assertThat(home.getHeader("Content-Security-Policy")).contains("default-src 'self'", "frame-ancestors 'none'");
    assertThat(library.statusCode()).isEqualTo(200);
    assertThat(library.getHeader("Content-Type")).contains("javascript");
    assertThat(library.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(library.bodyAsString()).contains("export class PortfolioClient");
  }

  @Test
  @DisplayName("a fill shows in positions and orders within a second; a rising P&L flashes with a scale, a falling one shakes, "
      + "colour only under reduced motion; sections say when they were updated; a day P&L sparkline; no 404")
  void liveUpdates() throws Exception {
    BrowserScripts.Run run = dashboard("live", Map.of(
        "fill", () -> {
          publishFill();
          return "";
        },
        "pnl-up", () -> {
          Fixtures.publish(cluster.vertx(), ServerEvents.positionUpdate(alice.toString(),
              position("AAPL", "100", "170.25", "190.00", "1975.00"), Instant.now()));
          return "";
        },
        "pnl-down", () -> {
          Fixtures.publish(cluster.vertx(), ServerEvents.positionUpdate(alice.toString(),
              position("AAPL", "100", "170.25", "160.00", "-1025.00"), Instant.now()));
          return "";
        }));

    assertPassed(run, "live");
    assertThat(BrowserScripts.SCREENSHOTS.resolve("dashboard-flash-reduced-motion.png")).exists();
  }

  @Test
  @DisplayName("the server closing the sockets shows Reconnecting…, then Connected with a fresh snapshot")
  void reconnectsAfterRestart() throws Exception {
    String price = "1" + ThreadLocalRandom.current().nextInt(10, 99) + ".37";
    BrowserScripts.Run run = dashboard("reconnect", Map.of("restart", () -> {
      // Changed while the socket is down, with no event: only a fresh snapshot can bring it.
      EdgeCluster.await(cluster.pool().preparedQuery("UPDATE positions SET current_price = $1, "
          + "version = version + 1, updated_at = now() WHERE user_id = $2 AND symbol = 'AAPL'")
          .execute(Tuple.of(new BigDecimal(price), alice)));
      cluster.restart(0);
      return price;
    }));

    assertPassed(run, "reconnect");
  }

  @Test
  @DisplayName("a refused socket leads, after the backoff attempts, to REST polling")
  void refusedSocketPolls() throws Exception {
    BrowserScripts.Run run = dashboard("polling", Map.of(), Integer.toString(closedPort()));

    assertPassed(run, "polling");
  }

  @Test
  @DisplayName("a minute without data turns prices Delayed and shows the yellow banner; five minutes the red one, whose Refresh clears it")
  void staleData() throws Exception {
    assertPassed(dashboard("stale", Map.of()), "stale");
  }

  @Test
  @DisplayName("the order ticket posts market and limit orders as JSON with the CSRF token to the real endpoint, shows the new order, and the reasons of a 400")
  void orderTicket() throws Exception {
    assertPassed(dashboard("ticket", Map.of()), "ticket");
  }

  @Test
  @DisplayName("a network cut without a close (a relay that stops relaying) leaves Connected within 5 s; an idle socket's keepalive is small")
  void connectionLossSeenWithinFiveSeconds() throws Exception {
    BrowserScripts.Run run = dashboard("loss", Map.of());

    assertPassed(run, "loss");
    assertThat(run.output()).contains("FIGURE lossSeenMs=", "FIGURE idleBytesPerSecond");
  }

  @Test
  @DisplayName("a sixth tab over the five sockets per user polls REST, says why, and takes the slot a closing tab lets go")
  void sixthTabWaitsForASlot() throws Exception {
    assertPassed(dashboard("tabs", Map.of()), "tabs");
  }

  @Test
  @DisplayName("a flood of urgent frames renders once per animation frame, not once per frame received")
  void floodRendersPerAnimationFrame() throws Exception {
    BrowserScripts.Run run = dashboard("flood", Map.of("flood", DashboardBrowserTest::floodOrderUpdates));

    assertPassed(run, "flood");
  }

  /**
   * One order of alice's partially filled 500 times, 2 ms apart, then filled: each update is urgent,
   * so each leaves the node within milliseconds, in frames far more often than a display refreshes.
   */
  private static String floodOrderUpdates() throws InterruptedException {
    String orderId = UUID.randomUUID().toString();
    String user = alice.toString();
    int updates = 500;
    for (int i = 1; i <= updates; i++) {
      Instant now = Instant.now();
      OrderStatus status = i == updates ? OrderStatus.FILLED : OrderStatus.PARTIALLY_FILLED;
      Fixtures.publish(cluster.vertx(), ServerEvents.orderUpdate(user, new Order(orderId, "b-" + orderId, "NVDA",
          OrderSide.BUY, OrderType.MARKET, TimeInForce.DAY, status, new BigDecimal(updates), new BigDecimal(i),
          new BigDecimal("120.50"), null, null, now, i == updates ? now : null, null, null, null, now,
          VERSION.incrementAndGet()), now));
      Thread.sleep(2);
    }
    return Integer.toString(updates);
  }

  private static BrowserScripts.Run dashboard(String scenario, Map<String, BrowserScripts.Step> steps,
      String... extra) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("node", "browser-tests/dashboard.mjs",
        "http://127.0.0.1:" + cluster.node(0).port(), scenario, BrowserScripts.SCREENSHOTS.toString()));
    command.addAll(List.of(extra));
    return BrowserScripts.run(command, steps);
  }

  private static void assertPassed(BrowserScripts.Run run, String scenario) {
    assertThat(run.exitCode()).as("dashboard.mjs %s:%n%s", scenario, run.output()).isZero();
    assertThat(run.output()).contains("PASS " + scenario);
    // What the scenario measured, into the test's output for the benchmark notes.
    run.output().lines().filter(line -> line.startsWith("FIGURE ")).forEach(line -> LOG.info("{}: {}", scenario, line));
  }

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DashboardBrowserTest.class);

  /** A market buy of 10 AMD filled: order, trade, the new position and the account, as one fill; and a rejection. */
  private static void publishFill() {
    Instant now = Instant.now();
    String orderId = UUID.randomUUID().toString();
    String user = alice.toString();
    Fixtures.publish(cluster.vertx(), ServerEvents.orderUpdate(user, new Order(orderId, "b-" + orderId, "AMD",
        OrderSide.BUY, OrderType.MARKET, TimeInForce.DAY, OrderStatus.FILLED, BigDecimal.TEN, BigDecimal.TEN,
        new BigDecimal("155.20"), null, null, now, now, null, null, null, now, VERSION.incrementAndGet()), now));
    Fixtures.publish(cluster.vertx(), ServerEvents.tradeExecuted(user, new Trade(UUID.randomUUID().toString(),
        orderId, "AMD", OrderSide.BUY, BigDecimal.TEN, new BigDecimal("155.20"), null, now, null), now));
    Fixtures.publish(cluster.vertx(), ServerEvents.positionUpdate(user,
        position("AMD", "10", "155.20", "155.20", "0.00"), now));
    Fixtures.publish(cluster.vertx(), ServerEvents.accountUpdate(user, new Account(new BigDecimal("100000.00"),
        new BigDecimal("150000.00"), new BigDecimal("48448.00"), new BigDecimal("100000.00"),
        new BigDecimal("250.00"), new BigDecimal("0.25"), new BigDecimal("99750.00"), now,
        VERSION.incrementAndGet()), now));
    Fixtures.publish(cluster.vertx(), ServerEvents.orderUpdate(user, new Order(UUID.randomUUID().toString(), null,
        "TSLA", OrderSide.BUY, OrderType.MARKET, TimeInForce.DAY, OrderStatus.REJECTED, new BigDecimal("5000"),
        BigDecimal.ZERO, null, null, null, now, null, null, "insufficient buying power", null, now,
        VERSION.incrementAndGet()), now));
  }

  private static Position position(String symbol, String qty, String entry, String price, String pnl) {
    Instant now = Instant.now();
    BigDecimal quantity = new BigDecimal(qty);
    return new Position(symbol, quantity, new BigDecimal(price), new BigDecimal(entry), new BigDecimal(pnl),
        new BigDecimal(pnl).multiply(new BigDecimal("100")).divide(quantity.multiply(new BigDecimal(entry)), 2,
            java.math.RoundingMode.HALF_UP), quantity.multiply(new BigDecimal(price)), PositionSide.LONG, null, now, now,
        VERSION.incrementAndGet());
  }

  /** A port nothing listens on: connecting to it is refused. */
  private static int closedPort() {
    return FreePorts.free();
  }

}
