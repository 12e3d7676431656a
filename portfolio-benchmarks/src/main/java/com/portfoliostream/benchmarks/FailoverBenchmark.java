package com.portfoliostream.benchmarks;

import com.portfoliostream.node.Main;
import com.portfoliostream.testkit.ClientFleet;
import com.portfoliostream.testkit.FailoverRig;
import com.portfoliostream.testkit.FailoverScenarios;
import com.portfoliostream.testkit.FailoverScenarios.Fault;
import com.portfoliostream.testkit.FailoverScenarios.Figures;
import com.portfoliostream.testkit.TestDatabase;
import com.portfoliostream.testkit.TestNetwork;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The failover benchmark (issue 17 item 4): EdgeFailoverTest's hosts and faults run as a program,
 * their figures saved to docs/benchmarks/failover.{md,json}. Needs root (network namespaces),
 * HAProxy and Node.js, as the test does.
 */
public final class FailoverBenchmark {

  private static final Logger LOG = LoggerFactory.getLogger(FailoverBenchmark.class);
  static final List<String> USERS = List.of("alice", "bob");
  static final int SOCKETS_PER_USER = 5;

  private FailoverBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("machine", Machine.describe());
    report.put("command", "bin/benchmark-failover");
    report.put("users", USERS.size());
    report.put("socketsPerUser", SOCKETS_PER_USER);
    try (FailoverRig rig = FailoverRig.start(Main.class);
         ClientFleet fleet = ClientFleet.start(rig.balancer().url(), USERS, TestDatabase.PASSWORD, SOCKETS_PER_USER)) {
      FailoverScenarios scenarios = new FailoverScenarios(rig, fleet, USERS);
      List<Map<String, Object>> figures = new ArrayList<>();
      for (Fault fault : Fault.values()) {
        Figures measured = scenarios.run(fault);
        LOG.info("{}: {}", fault.description, measured.summary());
        figures.add(measured.summary());
        if (fault == Fault.KILL) {
          rig.restartEdge(measured.edge());
        }
      }
      report.put("scenarios", figures);
      report.put("nodeErrorLines", rig.errorLines().size());
      report.put("hazelcastErrorLines", rig.hazelcastErrorLines().size());
    } catch (TestNetwork.Unavailable e) {
      LOG.error("bin/benchmark-failover needs network namespaces (run it as root): {}", e.getMessage());
      System.exit(2);
    }
    FailoverReport.save(report);
    System.exit(0);
  }
}
