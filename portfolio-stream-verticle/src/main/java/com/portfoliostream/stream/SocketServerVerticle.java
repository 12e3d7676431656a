package com.portfoliostream.stream;

import com.portfoliostream.common.NodeContext;
import com.portfoliostream.common.db.DatabaseWatch;
import com.portfoliostream.common.config.Setting;
import com.portfoliostream.common.config.StreamSettings;
import com.portfoliostream.common.health.NodeHealthChecks;
import com.portfoliostream.common.orders.OrderJobs;
import com.portfoliostream.events.protocol.CloseReason;
import com.portfoliostream.stream.orders.OrderDesk;
import com.portfoliostream.stream.clients.ClientReports;
import com.portfoliostream.stream.orders.OrderRoutes;
import com.portfoliostream.stream.portfolio.PortfolioReader;
import com.portfoliostream.stream.portfolio.PortfolioRoutes;
import com.portfoliostream.stream.portfolio.SnapshotLoader;
import com.portfoliostream.stream.web.WebAssets;
import com.portfoliostream.stream.ws.BatchingVerticle;
import com.portfoliostream.stream.ws.ConnectionRegistry;
import com.portfoliostream.stream.ws.PortfolioSocketHandler;
import com.portfoliostream.stream.ws.SocketMetrics;
import com.portfoliostream.stream.ws.SocketSlots;
import com.portfoliostream.stream.ws.SocketSupervisor;
import com.portfoliostream.web.Paths;
import com.portfoliostream.web.auth.WebSessions;
import com.portfoliostream.web.http.ConnectionGuard;
import com.portfoliostream.web.http.HttpPolicies;
import com.portfoliostream.web.http.ReadinessHandler;
import com.portfoliostream.web.http.Responses;
import com.portfoliostream.web.session.PgSessionStore;
import com.portfoliostream.common.control.RolloutPolicy;
import com.portfoliostream.common.control.RolloutWatch;
import com.portfoliostream.web.auth.SessionUser;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import java.time.Clock;
import java.util.UUID;

/**
 * One of the edge's socket-serving verticles: an HTTP server on the edge's port (every instance
 * shares it; Vert.x spreads connections across the instances' event loops) with the whole router
 * (login, REST, health, {@code /ws/portfolio}), and the sockets it accepted, which it serves on its
 * own loop: their heartbeat, session checks and close. What the instances share (the socket
 * registry, the batching stage, sessions, metrics, the connection guard) is the {@link Shared} the
 * {@link StreamVerticle} made once.
 */
final class SocketServerVerticle extends VerticleBase {

  /** What every instance of a node uses: made once by the {@link StreamVerticle}. */
  record Shared(NodeContext node, StreamSettings settings, Clock clock, ConnectionRegistry registry,
      BatchingVerticle batching, SocketMetrics socketMetrics, PgSessionStore sessionStore, WebSessions sessions,
      PortfolioReader reader, SnapshotLoader snapshots, SocketSlots slots, ConnectionGuard guard,
      DatabaseWatch database, ClientReports clientReports, RolloutWatch rollout) {}

  private final Shared shared;
  private final int port;
  private PortfolioSocketHandler sockets;
  private SocketSupervisor supervisor;
  private HttpServer server;
  private Router router;

  /** Serves on {@code port}, shared with the node's other instances (-1: one random port for all). */
  SocketServerVerticle(Shared shared, int port) {
    this.shared = shared;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    NodeContext node = shared.node();
    StreamSettings settings = shared.settings();
    sockets = new PortfolioSocketHandler(vertx, shared.slots(), settings, shared.registry(), shared.snapshots(),
        node.config().settings().integer(Setting.SNAPSHOT_DEADLINE_MS), shared.batching(), shared.socketMetrics(),
        shared.database(), shared.rollout(), shared.clock());
    supervisor = new SocketSupervisor(vertx, settings, shared.registry(), shared.sessionStore(), shared.rollout(),
        node.control());
    router = router();
    HttpServerOptions options = new HttpServerOptions()
        .setHost(node.config().bindHost())
        .setPort(port)
        // A frame may be larger than a message so that an oversized message (one frame or
        // many) is refused with a 1009 close; beyond twice the limit the connection is dropped.
        .setMaxWebSocketFrameSize(2 * StreamVerticle.MAX_MESSAGE_BYTES)
        .setMaxWebSocketMessageSize(StreamVerticle.MAX_MESSAGE_BYTES)
        // No permessage-deflate: an inflation bomb cannot be sent, and a socket costs no
        // deflater state or CPU; frames are a few KiB a second (docs/benchmarks/websocket-compression.md).
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false)
        // Every response is written on the connection's own event loop (routes, database and
        // hashing callbacks all complete there), so the HTTP connection needs no cross-thread
        // write queue: Vert.x's multi-producer queue costs about 4 KB per connection, and the
        // connection a socket was upgraded from lives as long as the socket.
        .setStrictThreadMode(true);
    shared.guard().apply(options);
    settings.tls().ifPresent(tls -> options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
        .setCertPath(tls.certPath().toString()).setKeyPath(tls.keyPath().toString())));
    return Future.all(supervisor.start(), shared.guard().install(vertx.createHttpServer(options), router).listen())
        .map(all -> {
          server = all.resultAt(1);
          return null;
        });
  }

  private Router router() {
    NodeContext node = shared.node();
    Router router = Router.router(vertx);
    router.route().handler(HttpPolicies::requireDecodableTarget);
    // The session is looked up in the database before the upgrade: hold the request meanwhile,
    // or its end goes by unseen and the upgrade never completes.
    router.route(Paths.PORTFOLIO_SOCKET).handler(ctx -> {
      ctx.request().pause();
      ctx.next();
    });
    new WebAssets(shared.settings().tls().isPresent()).mount(router);
    // For the load balancer: ahead of the session handler, so probes never touch the session store.
    router.get(Paths.LIVENESS)
        .handler(HealthCheckHandler.createWithHealthChecks(NodeHealthChecks.liveness(vertx, node.cluster())));
    router.get(Paths.READINESS).handler(ReadinessHandler.of(vertx, node));
    shared.sessions().mount(router);
    router.get(Paths.API_HEALTH).handler(this::health);
    new PortfolioRoutes(shared.reader(), shared.clock()).mount(router);
    new OrderRoutes(vertx, new OrderDesk(node.pool(), OrderJobs.queueLimit(node.config()),
        OrderJobs.UserQuota.of(node.config())), shared.clock()).mount(router);
    shared.clientReports().mount(router);
    router.route(Paths.PORTFOLIO_SOCKET).handler(sockets);
    router.route().failureHandler(HttpPolicies::handleFailure);
    return router;
  }

  private void health(RoutingContext ctx) {
    Responses.send(ctx, 200, new JsonObject()
        .put("status", "ok")
        .put("version", Version.current())
        .put("nodeId", shared.node().nodeId())
        .put("features", new JsonObject().put("realtimePortfolio", realtimeFor(ctx)))
        .encode());
  }

  /**
   * Whether this session may stream: ENABLE_REALTIME_PORTFOLIO and the rollout, for the signed-in
   * user; for an anonymous caller, whether the rollout is on at all.
   */
  private boolean realtimeFor(RoutingContext ctx) {
    if (!shared.settings().realtimeEnabled()) {
      return false;
    }
    RolloutPolicy policy = shared.rollout().current();
    return SessionUser.of(ctx).map(user -> policy.admits(user.userId())).orElse(policy.enabled());
  }

  /** Closes this loop's sockets 1001 (clients reconnect at once to another node), then the server. */
  @Override
  public Future<?> stop() {
    return sockets.closeAll(CloseReason.SERVER_SHUTDOWN)
        .compose(v -> supervisor.stop())
        .compose(v -> server == null ? Future.succeededFuture() : server.close());
  }

  int actualPort() {
    return server.actualPort();
  }

  Router router0() {
    return router;
  }

  /** From any thread: the node's database went ({@code false}) or came back. */
  void databaseChanged(boolean up) {
    sockets.databaseChanged(up);
  }

  Future<Integer> socketsCounted(UUID userId) {
    return sockets.socketsCounted(userId);
  }
}
