package com.portfoliostream.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The faults of issue 17 on a {@link FailoverRig}, with a {@link ClientFleet} behind its
 * balancer: each scenario strikes the edge holding the most sockets, places an order through the
 * balancer at once (retried under one Idempotency-Key until accepted), waits for every client of
 * that edge to be back with a fresh snapshot, ends the fault, and measures what the clients lived
 * through. Shared by EdgeFailoverTest (which asserts) and bin/benchmark-failover (which reports).
 */
public final class FailoverScenarios {

  /** How long a frozen or cut-off edge stays so. */
  public static final Duration HOLD = Duration.ofSeconds(30);
  private static final Duration BACK = Duration.ofSeconds(60);
  private static final Duration STALE_GONE = Duration.ofSeconds(60);
  private static final Duration REST_EQUAL = Duration.ofSeconds(15);

  /** The faults. */
  public enum Fault {
    KILL("SIGKILL"),
    FREEZE("SIGSTOP for " + HOLD.toSeconds() + " s, then SIGCONT"),
    CUT("veth cut for " + HOLD.toSeconds() + " s (a partition), then mended"),
    DRAIN("SIGTERM (drain, " + FailoverRig.DRAIN_SECONDS + " s)");

    public final String description;

    Fault(String description) {
      this.description = description;
    }
  }

  /**
   * What one scenario measured. Reconnects run from the fault to the fresh snapshot (for a drain,
   * which serves until it closes the socket, from that close); fills from the fault; stale sockets
   * gone from the thaw or mend to the struck edge's gauge reading 0 (-1 where there is none, or
   * it never did).
   */
  public record Figures(Fault fault, String edge, int socketsOnEdge, int clientsCut, int clientsBack,
      List<Long> reconnectMs, Map<Integer, Integer> closeCodes, int mostClosesOfOneClient,
      Map<Integer, Integer> httpErrors, int signedOut, long balancer5xx, long otherEdgeMarkedDown,
      int socketsFilled, long firstFillMs, long allFilledMs, long staleGoneMs, Map<String, List<String>> differences,
      int exitCode) {

    public long reconnectPercentile(double percent) {
      List<Long> sorted = reconnectMs.stream().sorted().toList();
      return sorted.isEmpty() ? -1 : sorted.get((int) Math.ceil(percent / 100 * sorted.size()) - 1);
    }

    /** Sockets refused by the edge: closed 1008 (final) or 1013 (try again). */
    public int refusals() {
      return closeCodes.getOrDefault(1008, 0) + closeCodes.getOrDefault(1013, 0);
    }

    /** The figures by name, for a report. */
    public Map<String, Object> summary() {
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("fault", fault.description);
      summary.put("edge", edge);
      summary.put("socketsOnEdge", socketsOnEdge);
      summary.put("socketsBack", clientsBack + " of " + clientsCut);
      summary.put("reconnectP50Ms", reconnectPercentile(50));
      summary.put("reconnectP95Ms", reconnectPercentile(95));
      summary.put("reconnectMaxMs", reconnectPercentile(100));
      summary.put("closeCodes", closeCodes);
      summary.put("refusals", refusals());
      summary.put("httpErrorsSeenByClients", httpErrors);
      summary.put("signedOut", signedOut);
      summary.put("balancer5xx", balancer5xx);
      summary.put("otherEdgeMarkedDown", otherEdgeMarkedDown);
      summary.put("firstFillMs", firstFillMs);
      summary.put("filledOnEverySocketMs", allFilledMs);
      summary.put("staleSocketsGoneMs", staleGoneMs);
      summary.put("restDifferences", differences.size());
      return summary;
    }
  }

  private final FailoverRig rig;
  private final ClientFleet fleet;
  private final List<String> users;
  private int orders;

  public FailoverScenarios(FailoverRig rig, ClientFleet fleet, List<String> users) {
    this.rig = rig;
    this.fleet = fleet;
    this.users = List.copyOf(users);
  }

  /** Runs {@code fault} on the busiest edge; the edge is left as the fault leaves it (killed or stopped edges stay down). */
  public Figures run(Fault fault) throws Exception {
    awaitSteady();
    String edge = busiestEdge();
    String other = FailoverRig.otherThan(edge);
    NodeProcess node = rig.edge(edge);
    int sockets = rig.openSockets(edge);
    long downBefore = rig.balancer().timesMarkedDown(other);
    long fiveBefore = rig.balancer().served5xx();
    String user = users.get(orders++ % users.size());

    long at = System.currentTimeMillis();
    strike(fault, edge, node);
    String orderId = fleet.placeOrder(user, UUID.randomUUID().toString());
    Eventually.until(() -> cutClients(at), cut -> cut.size() >= sockets && allBack(cut, at), BACK);
    long staleGone = fault == Fault.FREEZE || fault == Fault.CUT ? holdThenEnd(fault, edge, node, at) : -1;
    int exitCode = fault == Fault.DRAIN ? node.awaitExit(Duration.ofSeconds(60)) : 0;
    Map<ClientFleet.Client, Long> filled = Eventually.until(() -> fleet.filled(orderId),
        f -> f.keySet().containsAll(clientsOf(user)), BACK);
    Map<String, List<String>> differences = Eventually.until(this::differencesFromRest, Map::isEmpty, REST_EQUAL);
    return figures(fault, edge, sockets, at, filled, differences, staleGone, exitCode,
        rig.balancer().served5xx() - fiveBefore, rig.balancer().timesMarkedDown(other) - downBefore);
  }

  private void strike(Fault fault, String edge, NodeProcess node) throws Exception {
    switch (fault) {
      case KILL -> node.kill();
      case FREEZE -> node.freeze();
      case CUT -> rig.network().cut(edge);
      case DRAIN -> node.terminate();
    }
  }

  /**
   * Keeps a frozen or cut-off edge so until {@link #HOLD} after the fault, then thaws or mends it;
   * returns how long its stale sockets took to go (-1: not within a minute).
   */
  private long holdThenEnd(Fault fault, String edge, NodeProcess node, long at) throws Exception {
    Thread.sleep(Math.max(0, at + HOLD.toMillis() - System.currentTimeMillis()));
    long ended = System.currentTimeMillis();
    if (fault == Fault.FREEZE) {
      node.thaw();
    } else {
      rig.network().mend(edge);
    }
    int open = Eventually.until(() -> rig.openSockets(edge), n -> n == 0, STALE_GONE);
    return open == 0 ? System.currentTimeMillis() - ended : -1;
  }

  /** Every client streaming and both edges up at the balancer. */
  private void awaitSteady() throws Exception {
    for (String edge : FailoverRig.EDGES) {
      rig.balancer().awaitStatus(edge, "UP", BACK);
    }
    Eventually.eventually(BACK, "every client streaming", fleet::allStreaming);
  }

  private String busiestEdge() throws Exception {
    String busiest = FailoverRig.EDGES.get(0);
    for (String edge : FailoverRig.EDGES) {
      if (rig.openSockets(edge) > rig.openSockets(busiest)) {
        busiest = edge;
      }
    }
    return busiest;
  }

  /**
   * The clients cut off since {@code at}, with when each first knew: its socket closed, or the
   * client gave the socket up itself (status reconnecting: it saw the silence within seconds, long
   * before TCP reported the dead connection, whose close then comes after the new snapshot).
   */
  private Map<ClientFleet.Client, Long> cutClients(long at) {
    Map<ClientFleet.Client, Long> cut = new LinkedHashMap<>();
    for (ClientFleet.Event event : fleet.eventsSince(at)) {
      if (event.type().equals("close")
          || (event.type().equals("status") && "reconnecting".equals(event.fields().getString("status")))) {
        cut.putIfAbsent(event.client(), event.at());
      }
    }
    return cut;
  }

  private boolean allBack(Map<ClientFleet.Client, Long> cut, long at) {
    return cut.entrySet().stream().allMatch(c -> backAt(c.getKey(), c.getValue(), at) > 0);
  }

  /** When {@code client} next had a snapshot after {@code closedAt}, or -1. */
  private long backAt(ClientFleet.Client client, long closedAt, long at) {
    return fleet.eventsSince(at).stream()
        .filter(e -> e.type().equals("snapshot") && client.equals(e.client()) && e.at() >= closedAt)
        .mapToLong(ClientFleet.Event::at).findFirst().orElse(-1);
  }

  private List<ClientFleet.Client> clientsOf(String user) {
    return fleet.clients().stream().filter(c -> c.user().equals(user)).toList();
  }

  private Map<String, List<String>> differencesFromRest() throws Exception {
    Map<String, List<String>> differences = new LinkedHashMap<>();
    fleet.differencesFromRest().forEach((client, found) -> {
      if (!found.isEmpty()) {
        differences.put(client.user() + "#" + client.index(), found);
      }
    });
    return differences;
  }

  /** What the clients saw since a fault: closes by code and per client, HTTP errors by status, sign-outs. */
  private record Seen(Map<Integer, Integer> closeCodes, Map<ClientFleet.Client, Integer> closesPerClient,
      Map<Integer, Integer> httpErrors, int signedOut) {

    static Seen tally(List<ClientFleet.Event> events) {
      Seen seen = new Seen(new TreeMap<>(), new LinkedHashMap<>(), new TreeMap<>(), 0);
      int signedOut = 0;
      for (ClientFleet.Event event : events) {
        switch (event.type()) {
          case "close" -> {
            seen.closeCodes.merge(event.fields().getInteger("code"), 1, Integer::sum);
            seen.closesPerClient.merge(event.client(), 1, Integer::sum);
          }
          case "http" -> seen.httpErrors.merge(event.fields().getInteger("status"), 1, Integer::sum);
          case "signedOut" -> signedOut++;
          default -> { }
        }
      }
      return new Seen(seen.closeCodes, seen.closesPerClient, seen.httpErrors, signedOut);
    }

    int mostClosesOfOneClient() {
      return closesPerClient.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }
  }

  private Figures figures(Fault fault, String edge, int sockets, long at, Map<ClientFleet.Client, Long> filled,
      Map<String, List<String>> differences, long staleGone, int exitCode, long balancer5xx, long markedDown) {
    Map<ClientFleet.Client, Long> cut = cutClients(at);
    List<Long> reconnects = new ArrayList<>();
    cut.forEach((client, closedAt) -> {
      long back = backAt(client, closedAt, at);
      if (back > 0) {
        reconnects.add(back - (fault == Fault.DRAIN ? closedAt : at));
      }
    });
    Seen seen = Seen.tally(fleet.eventsSince(at));
    long firstFill = filled.values().stream().mapToLong(t -> t - at).min().orElse(-1);
    long allFilled = filled.values().stream().mapToLong(t -> t - at).max().orElse(-1);
    return new Figures(fault, edge, sockets, cut.size(), reconnects.size(), reconnects, seen.closeCodes(),
        seen.mostClosesOfOneClient(), seen.httpErrors(), seen.signedOut(), balancer5xx, markedDown, filled.size(),
        firstFill, allFilled, staleGone, differences, exitCode);
  }
}
