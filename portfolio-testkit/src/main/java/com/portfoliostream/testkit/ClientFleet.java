package com.portfoliostream.testkit;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Browser-like users behind the balancer: {@code browser-tests/failover-fleet.mjs} in Node, each
 * user's sockets a {@code PortfolioClient} of the real client library (backoff, reconnect, REST
 * fallback) sharing one session. What the clients live through comes back as {@link Event}s; the
 * fleet places orders and compares each client's cache with REST when told.
 */
public final class ClientFleet implements AutoCloseable {

  public static final String SCRIPT = "browser-tests/failover-fleet.mjs";
  private static final Duration STARTED = Duration.ofSeconds(60);
  private static final Duration ANSWERED = Duration.ofSeconds(30);

  /** One of the fleet's clients: a user's socket number. */
  public record Client(String user, int index) {}

  /** Something a client lived through, at {@code at} (epoch ms, this machine's clock). */
  public record Event(String type, long at, Client client, JsonObject fields) {}

  private final NodeProcess process;
  private final List<Client> clients = new ArrayList<>();
  private final List<Event> parsed = new ArrayList<>();
  private int linesParsed;

  private ClientFleet(NodeProcess process, List<String> users, int socketsPerUser) {
    this.process = process;
    for (String user : users) {
      for (int i = 0; i < socketsPerUser; i++) {
        clients.add(new Client(user, i));
      }
    }
  }

  /** {@code socketsPerUser} clients of each of {@code users}, signed in and streaming from {@code baseUrl}. */
  public static ClientFleet start(String baseUrl, List<String> users, String password, int socketsPerUser)
      throws Exception {
    Map<String, String> env = Map.of("BASE_URL", baseUrl, "USERS", String.join(",", users), "PASSWORD", password,
        "SOCKETS", Integer.toString(socketsPerUser),
        // The balancer's certificate is the test's own, self-signed.
        "NODE_TLS_REJECT_UNAUTHORIZED", "0", "NODE_NO_WARNINGS", "1");
    NodeProcess process = NodeProcess.command("fleet", List.of("node", "--experimental-websocket", SCRIPT),
        BrowserScripts.REPO, env);
    ClientFleet fleet = new ClientFleet(process, users, socketsPerUser);
    try {
      fleet.await(0, "started", STARTED);
      Eventually.eventually(STARTED, "every client streaming", fleet::allStreaming);
    } catch (Exception | AssertionError e) {
      fleet.close();
      throw e;
    }
    return fleet;
  }

  public List<Client> clients() {
    return List.copyOf(clients);
  }

  /** Every event so far. */
  public synchronized List<Event> events() {
    List<String> lines = process.output();
    for (; linesParsed < lines.size(); linesParsed++) {
      parse(lines.get(linesParsed)).ifPresent(parsed::add);
    }
    return List.copyOf(parsed);
  }

  public List<Event> eventsSince(long at) {
    return events().stream().filter(e -> e.at() >= at).toList();
  }

  private static Optional<Event> parse(String line) {
    if (!line.startsWith("{")) {
      return Optional.empty();
    }
    try {
      JsonObject json = new JsonObject(line);
      Client client = json.containsKey("client") ? new Client(json.getString("user"), json.getInteger("client")) : null;
      return Optional.of(new Event(json.getString("e"), json.getLong("t"), client, json));
    } catch (DecodeException e) {
      return Optional.empty();
    }
  }

  /** True when every client's latest status is connected (its socket open with a snapshot). */
  public boolean allStreaming() {
    Map<Client, String> status = new LinkedHashMap<>();
    for (Event event : events()) {
      if (event.type().equals("status")) {
        status.put(event.client(), event.fields().getString("status"));
      }
    }
    return clients.stream().allMatch(c -> "connected".equals(status.get(c)));
  }

  /** Has {@code user} place a market order under {@code key}, retried until accepted; returns its order id. */
  public String placeOrder(String user, String key) throws Exception {
    int mark = events().size();
    process.tell(new JsonObject().put("cmd", "order").put("user", user).put("key", key).encode());
    Event placed = await(mark, "placed|orderFailed", Duration.ofSeconds(90));
    if (!placed.type().equals("placed")) {
      throw new AssertionError("the order was not accepted: " + placed.fields().encode());
    }
    return placed.fields().getString("orderId");
  }

  /** When each client saw {@code orderId} filled (epoch ms), by client. */
  public Map<Client, Long> filled(String orderId) {
    Map<Client, Long> filled = new LinkedHashMap<>();
    for (Event event : events()) {
      if (event.type().equals("filled") && orderId.equals(event.fields().getString("orderId"))) {
        filled.putIfAbsent(event.client(), event.at());
      }
    }
    return filled;
  }

  /** Every client's differences from REST (empty when its cache equals REST). */
  public Map<Client, List<String>> differencesFromRest() throws Exception {
    int mark = events().size();
    process.tell(new JsonObject().put("cmd", "check").encode());
    await(mark, "checked", ANSWERED);
    Map<Client, List<String>> differences = new LinkedHashMap<>();
    List<Event> all = events();
    for (Event event : all.subList(mark, all.size())) {
      if (event.type().equals("check")) {
        JsonArray found = event.fields().getJsonArray("discrepancies");
        differences.put(event.client(), found.stream().map(String::valueOf).toList());
      }
    }
    return differences;
  }

  private Event await(int from, String types, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      List<Event> all = events();
      for (Event event : all.subList(Math.min(from, all.size()), all.size())) {
        if (event.type().matches(types)) {
          return event;
        }
        if (event.type().equals("failed")) {
          throw new AssertionError("the fleet failed: " + event.fields().encode());
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the fleet did not report " + types + " within " + within + ":\n"
        + String.join("\n", process.output()));
  }

  @Override
  public void close() {
    try {
      process.tell(new JsonObject().put("cmd", "stop").encode());
      process.awaitExit(Duration.ofSeconds(10));
    } catch (IOException | InterruptedException | AssertionError e) {
      // it is stopped below
    }
    process.close();
  }
}
