package com.portfoliostream.stream;

import com.portfoliostream.common.NodeContext;
import com.portfoliostream.common.db.DatabaseWatch;
import com.portfoliostream.common.config.Setting;
import com.portfoliostream.common.config.StreamSettings;
import com.portfoliostream.stream.batch.EdgeMetrics;
import com.portfoliostream.stream.clients.ClientReports;
import com.portfoliostream.stream.portfolio.PortfolioReader;
import com.portfoliostream.stream.portfolio.SnapshotLoader;
import com.portfoliostream.stream.ws.BatchingVerticle;
import com.portfoliostream.stream.ws.ConnectionRegistry;
import com.portfoliostream.stream.ws.EdgeStatsResponder;
import com.portfoliostream.stream.ws.SocketMetrics;
import com.portfoliostream.stream.ws.SocketSlots;
import com.portfoliostream.web.auth.WebSessions;
import com.portfoliostream.web.http.ConnectionGuard;
import com.portfoliostream.web.session.PgSessionStore;
import com.portfoliostream.web.session.SessionLimits;
import com.portfoliostream.common.control.RolloutWatch;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.ext.web.Route;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code stream} role, on PORT: login and clustered sessions, CSRF, the REST snapshots,
 * health, and {@code /ws/portfolio}. Deploys the edge in the shape the design names: one
 * {@link BatchingVerticle} (the per-user consumers and windows, on its own event loop) and
 * EDGE_EVENT_LOOPS {@link SocketServerVerticle}s sharing the port (one per core by default), each
 * serving the sockets it accepted on its own loop. On stop every socket is closed 1001 first, so
 * clients reconnect at once to another node.
 */
public final class StreamVerticle extends VerticleBase {

  /** Largest WebSocket frame or message, and largest REST body. */
  public static final int MAX_MESSAGE_BYTES = WebSessions.MAX_BODY_BYTES;
  public static final String SESSION_COOKIE = WebSessions.SESSION_COOKIE;
  private static final Logger LOG = LoggerFactory.getLogger(StreamVerticle.class);

  private final NodeContext node;
  private final StreamSettings settings;
  private final Clock clock;
  private final ConnectionRegistry registry = new ConnectionRegistry();
  private final EdgeMetrics metrics;
  /** Added to as they deploy, read by the database watch's loop. */
  private final List<SocketServerVerticle> servers = new CopyOnWriteArrayList<>();
  private final List<String> serverDeployments = new ArrayList<>();
  private BatchingVerticle batching;
  private String batchingDeployment;
  private SocketMetrics socketMetrics;
  private PgSessionStore sessionStore;
  private SnapshotLoader snapshots;
  private SocketSlots slots;
  private DatabaseWatch database;
  private RolloutWatch rollout;

  public StreamVerticle(NodeContext node) {
    this(node, Clock.systemUTC());
  }

  public StreamVerticle(NodeContext node, Clock clock) {
    this.node = node;
    this.settings = node.config().stream();
    this.clock = clock;
    this.metrics = new EdgeMetrics(node.metrics());
  }

  /** EDGE_EVENT_LOOPS, 0 meaning one per core. */
  static int eventLoops(NodeContext node) {
    int configured = node.config().settings().integer(Setting.EDGE_EVENT_LOOPS);
    return configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
  }

  @Override
  public Future<?> start() {
    // Started here, on this verticle's loop; it tells the socket servers deployed so far.
    database = new DatabaseWatch(vertx, node.pool()).onChange(up -> servers.forEach(s -> s.databaseChanged(up)));
    database.start();
    sessionStore = PgSessionStore.create(vertx, node.pool(), SessionLimits.of(node.config()));
    PortfolioReader reader = new PortfolioReader(node.pool());
    // Half the pool loads snapshots at most, so REST, sign-ins and orders keep connections in a storm.
    snapshots = new SnapshotLoader(vertx, reader, clock,
        Math.max(1, node.config().settings().integer(Setting.DATABASE_POOL_SIZE) / 2), settings.maxConnections());
    socketMetrics = new SocketMetrics(node.metrics(), registry);
    batching = new BatchingVerticle(registry, metrics, settings, clock);
    ConnectionGuard guard = ConnectionGuard.forEdge(vertx, node.config());
    int loops = eventLoops(node);
    // Like snapshots, socket admissions and releases take at most half the pool in a storm.
    Future<SocketSlots> slotsStarted = SocketSlots.start(vertx, node.pool(), node.cluster().localNodeId(),
        settings.maxConnectionsPerUser(), Math.max(1, node.config().settings().integer(Setting.DATABASE_POOL_SIZE) / 2),
        settings.maxConnections(), registry);
    return Future.all(WebSessions.create(vertx, node, sessionStore), slotsStarted,
        RolloutWatch.start(vertx, node.pool(), node.control())).compose(parts -> {
      WebSessions sessions = parts.resultAt(0);
      slots = parts.resultAt(1);
      rollout = parts.resultAt(2);
      SocketServerVerticle.Shared shared = new SocketServerVerticle.Shared(node, settings, clock, registry,
          batching, socketMetrics, sessionStore, sessions, reader, snapshots, slots, guard, database,
          new ClientReports(node.metrics(), clock), rollout);
      // Every instance listens on PORT and Vert.x shares the one socket among them; PORT=0 (any
      // free port) is asked as -1, Vert.x's "one random port shared by all who ask for -1".
      int port = node.config().port() == 0 ? -1 : node.config().port();
      return vertx.deployVerticle(batching).compose(id -> {
        batchingDeployment = id;
        Future<Void> all = Future.succeededFuture();
        for (int i = 0; i < loops; i++) {
          all = all.compose(v -> deployServer(shared, port).mapEmpty());
        }
        return all;
      });
    }).compose(v -> new EdgeStatsResponder(registry, settings.realtimeEnabled(), settings.maxConnections())
        .register(vertx)).map(v -> {
          LOG.info("Stream edge listening on {}:{} ({}, realtime {}, {} event loop{})", node.config().bindHost(),
              actualPort(), settings.tls().isPresent() ? "https" : "http",
              settings.realtimeEnabled() ? "enabled" : "disabled", loops, loops == 1 ? "" : "s");
          return null;
        });
  }

  private Future<SocketServerVerticle> deployServer(SocketServerVerticle.Shared shared, int port) {
    SocketServerVerticle server = new SocketServerVerticle(shared, port);
    return vertx.deployVerticle(server).map(id -> {
      servers.add(server);
      serverDeployments.add(id);
      return server;
    });
  }

  /** The socket servers first (each closes its sockets 1001), then the batching stage. */
  @Override
  public Future<?> stop() {
    List<Future<Void>> undeployed = serverDeployments.stream()
        .map(id -> vertx.undeploy(id).recover(e -> Future.succeededFuture())).toList();
    return Future.join(undeployed)
        .compose(v -> batchingDeployment == null ? Future.succeededFuture()
            : vertx.undeploy(batchingDeployment).recover(e -> Future.succeededFuture()))
        .compose(v -> slots == null ? Future.succeededFuture() : slots.stop())
        .eventually(() -> {
          if (database != null) {
            database.stop();
          }
          if (rollout != null) {
            rollout.stop();
          }
          sessionStore.close();
          metrics.removeGauges();
          socketMetrics.removeGauges();
          return Future.succeededFuture();
        });
  }

  /** The port the server listens on (PORT may be 0: any free port). */
  public int actualPort() {
    return servers.get(0).actualPort();
  }

  /** Snapshot reads: loaded, shared, queued, in flight (for the admin stats and the benchmarks). */
  public Map<String, Long> snapshotCounts() {
    return snapshots.counts();
  }

  /** How many socket-serving verticles share the port. */
  public int socketServers() {
    return servers.size();
  }

  /** Every endpoint served, as "METHOD /path" ("ANY" for method-less routes, path parameters as {name}): for the API docs check. */
  public List<String> endpoints() {
    List<String> endpoints = new ArrayList<>();
    for (Route route : servers.get(0).router0().getRoutes()) {
      if (route.getPath() == null || !route.isExactPath()) {
        continue;
      }
      String path = route.getPath().replaceAll(":([A-Za-z0-9_]+)", "{$1}");
      if (route.methods() == null || route.methods().isEmpty()) {
        endpoints.add("ANY " + path);
      } else {
        route.methods().forEach(m -> endpoints.add(m.name() + " " + path));
      }
    }
    return endpoints;
  }

  /** Events in, frames out, latency: for the admin stats. */
  public EdgeMetrics metrics() {
    return metrics;
  }

  /** Users with an event bus consumer on this node. */
  public int userConsumers() {
    return batching.consumerCount();
  }

  /** The user's sockets the cluster-wide per-user limit counts now. */
  public Future<Integer> socketsCounted(UUID userId) {
    return servers.get(0).socketsCounted(userId);
  }

  /** This node's open sockets, for the admin stats. */
  public ConnectionRegistry registry() {
    return registry;
  }
}
