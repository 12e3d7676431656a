package com.portfoliostream.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.events.protocol.CloseReason;
import com.portfoliostream.node.Main;
import com.portfoliostream.testkit.ClientFleet;
import com.portfoliostream.testkit.FailoverRig;
import com.portfoliostream.testkit.FailoverScenarios;
import com.portfoliostream.testkit.FailoverScenarios.Fault;
import com.portfoliostream.testkit.FailoverScenarios.Figures;
import com.portfoliostream.testkit.TestDatabase;
import com.portfoliostream.testkit.TestNetwork;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 17's faults across hosts of their own (a {@link FailoverRig}: two edges, a broker host,
 * HAProxy with the operator's config), through the balancer with 2 users × 5 sockets of the real
 * client library. Each test strikes the edge holding the most sockets and, after it, an order
 * placed at the fault fills on every socket of its user and every cache equals REST. The tests
 * run in order on one rig: a killed edge is started again before the next.
 */
@DisplayName("Edges failing behind HAProxy, on hosts of their own")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EdgeFailoverTest {

  private static final Logger LOG = LoggerFactory.getLogger(EdgeFailoverTest.class);
  private static final List<String> USERS = List.of("alice", "bob");
  private static final int SOCKETS_PER_USER = 5;

  static FailoverRig rig;
  static ClientFleet fleet;
  static FailoverScenarios scenarios;

  @BeforeAll
  static void start() throws Exception {
    try {
      rig = FailoverRig.start(Main.class);
    } catch (TestNetwork.Unavailable e) {
      Assumptions.abort("Skipped: " + e.getMessage());
    }
    try {
      fleet = ClientFleet.start(rig.balancer().url(), USERS, TestDatabase.PASSWORD, SOCKETS_PER_USER);
      scenarios = new FailoverScenarios(rig, fleet, USERS);
    } catch (Exception | AssertionError e) {
      stop();
      throw e;
    }
  }

  @AfterAll
  static void stop() {
    try {
      if (fleet != null) {
        fleet.close();
      }
    } finally {
      if (rig != null) {
        rig.close();
      }
    }
  }

  private static Figures run(Fault fault) throws Exception {
    Figures figures = scenarios.run(fault);
    LOG.info("{}: {}", fault.description, figures.summary());
    assertThat(figures.socketsOnEdge()).as("the struck edge held sockets").isPositive();
    assertThat(figures.clientsCut()).as("the clients of the struck edge lost their socket, and no others")
        .isEqualTo(figures.socketsOnEdge());
    assertThat(figures.clientsBack()).as("every one of them back with a fresh snapshot").isEqualTo(figures.clientsCut());
    assertThat(figures.closeCodes()).as("no socket refused for good (1008)").doesNotContainKey(1008);
    assertThat(figures.httpErrors()).as("no request answered 401").doesNotContainKey(401);
    assertThat(figures.signedOut()).as("no client signed out").isZero();
    assertThat(figures.socketsFilled()).as("the order filled on every socket of its user").isEqualTo(SOCKETS_PER_USER);
    assertThat(figures.differences()).as("every client's cache equals REST").isEmpty();
    return figures;
  }

  /**
   * A frozen or cut-off edge. How fast its clients come back (HAProxy needs three failed checks to
   * mark it down: about 10 s) is a figure of {@code bin/benchmark-failover}, not asserted here on
   * a noisy machine; what is asserted is that every one came back through the other edge while the
   * struck one was still silent, not after it was thawed or mended.
   */
  private static Figures runSilentEdge(Fault fault) throws Exception {
    Figures figures = run(fault);
    assertThat(figures.reconnectPercentile(100)).as("last reconnect ms, before the fault ended")
        .isLessThan(FailoverScenarios.HOLD.toMillis());
    assertThat(figures.otherEdgeMarkedDown()).as("the other edge never marked down").isZero();
    assertThat(figures.staleGoneMs()).as("the struck edge's stale sockets closed once it was back").isNotNegative();
    return figures;
  }

  @Test
  @Order(1)
  @DisplayName("SIGKILL of an edge: every socket back with a fresh snapshot, no 401, no 1008")
  void killedEdge() throws Exception {
    Figures figures = run(Fault.KILL);

    rig.restartEdge(figures.edge());
  }

  @Test
  @Order(2)
  @DisplayName("SIGSTOP of an edge for 30 s: the other keeps serving, the frozen edge's sockets back before it thaws, and thawed it serves no stale socket")
  void frozenEdge() throws Exception {
    Figures figures = runSilentEdge(Fault.FREEZE);

    rig.edge(figures.edge()).awaitLine("lapsed .*this node stalled", Duration.ofSeconds(10));
  }

  @Test
  @Order(3)
  @DisplayName("the edge's veth cut for 30 s (a partition): the same, and once mended it serves no stale socket")
  void partitionedEdge() throws Exception {
    runSilentEdge(Fault.CUT);
  }

  @Test
  @Order(4)
  @DisplayName("SIGTERM of an edge drains: no client error beyond one 1001 and a reconnect")
  void drainedEdge() throws Exception {
    Figures figures = run(Fault.DRAIN);

    assertThat(figures.closeCodes()).as("every close a 1001").containsOnlyKeys(CloseReason.SERVER_SHUTDOWN.code());
    assertThat(figures.mostClosesOfOneClient()).as("one close per client").isEqualTo(1);
    assertThat(figures.httpErrors()).as("no request failed").isEmpty();
    assertThat(figures.balancer5xx()).as("no 5xx through the balancer").isZero();
    assertThat(figures.exitCode()).isEqualTo(143);
  }

  @Test
  @Order(5)
  @DisplayName("no node's own code logged an ERROR through it all")
  void noErrors() {
    LOG.info("Hazelcast's own ERROR lines: {}", rig.hazelcastErrorLines().size());
    assertThat(rig.errorLines()).isEmpty();
  }
}
