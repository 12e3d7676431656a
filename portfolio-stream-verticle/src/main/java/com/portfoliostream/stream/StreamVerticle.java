package com.portfoliostream.stream;

import com.portfoliostream.web.Paths;
import com.portfoliostream.common.NodeContext;
import com.portfoliostream.common.config.StreamSettings;
import com.portfoliostream.common.health.NodeHealthChecks;
import com.portfoliostream.common.orders.OrderJobs;
import com.portfoliostream.events.protocol.CloseReason;
import com.portfoliostream.web.auth.WebSessions;
import com.portfoliostream.web.session.PgSessionStore;
import com.portfoliostream.web.session.SessionLimits;
import com.portfoliostream.stream.batch.EdgeMetrics;
import com.portfoliostream.web.http.ConnectionGuard;
import com.portfoliostream.web.http.HttpPolicies;
import com.portfoliostream.web.http.Responses;
import com.portfoliostream.stream.portfolio.PortfolioReader;
import com.portfoliostream.stream.orders.OrderDesk;
import com.portfoliostream.stream.orders.OrderRoutes;
import com.portfoliostream.stream.portfolio.PortfolioRoutes;
import com.portfoliostream.stream.web.WebAssets;
import com.portfoliostream.stream.ws.ConnectionRegistry;
import com.portfoliostream.stream.ws.EdgeStatsResponder;
import com.portfoliostream.stream.ws.PortfolioSocketHandler;
import com.portfoliostream.stream.ws.SocketMetrics;
import com.portfoliostream.stream.ws.SocketSupervisor;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code stream} role's HTTP server on PORT: login and clustered sessions, CSRF, the REST
 * snapshots, health, and {@code /ws/portfolio}. On stop every socket is closed 1001 first, so
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
  private SocketMetrics socketMetrics;
  private PortfolioSocketHandler sockets;
  private SocketSupervisor supervisor;
  private PgSessionStore sessionStore;
  private HttpServer server;
  private Router router;

  public StreamVerticle(NodeContext node) {
    this(node, Clock.systemUTC());
  }

  public StreamVerticle(NodeContext node, Clock clock) {
    this.node = node;
    this.settings = node.config().stream();
    this.clock = clock;
    this.metrics = new EdgeMetrics(node.metrics());
  }

  @Override
  public Future<?> start() {
    sessionStore = PgSessionStore.create(vertx, node.pool(), SessionLimits.of(node.config()));
    PortfolioReader reader = new PortfolioReader(node.pool());
    socketMetrics = new SocketMetrics(node.metrics(), registry);
    sockets = new PortfolioSocketHandler(vertx, node.cluster(), settings, registry, reader, metrics,
        socketMetrics, clock);
    supervisor = new SocketSupervisor(vertx, settings, registry, sessionStore);
    return WebSessions.create(vertx, node, sessionStore).compose(sessions -> {
      router = router(sessions, reader);
      HttpServerOptions options = new HttpServerOptions()
          .setHost(node.config().bindHost())
          .setPort(node.config().port())
          // A frame may be larger than a message so that an oversized message (one frame or
          // many) is refused with a 1009 close; beyond twice the limit the connection is dropped.
          .setMaxWebSocketFrameSize(2 * MAX_MESSAGE_BYTES)
          .setMaxWebSocketMessageSize(MAX_MESSAGE_BYTES)
          // No permessage-deflate: an inflation bomb cannot be sent, and a socket costs no
          // deflater state or CPU; frames are a few KiB a second (docs/benchmarks/websocket-compression.md).
          .setPerMessageWebSocketCompressionSupported(false)
          .setPerFrameWebSocketCompressionSupported(false);
      ConnectionGuard guard = ConnectionGuard.forEdge(vertx, node.config());
      guard.apply(options);
      settings.tls().ifPresent(tls -> options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
          .setCertPath(tls.certPath().toString()).setKeyPath(tls.keyPath().toString())));
      return Future.all(supervisor.start(),
          guard.install(vertx.createHttpServer(options), router).listen(),
          new EdgeStatsResponder(registry, settings.realtimeEnabled(), settings.maxConnections()).register(vertx));
    }).map(all -> {
      server = all.resultAt(1);
      LOG.info("Stream edge listening on {}:{} ({}, realtime {})", node.config().bindHost(),
          server.actualPort(), settings.tls().isPresent() ? "https" : "http",
          settings.realtimeEnabled() ? "enabled" : "disabled");
      return null;
    });
  }

  private Router router(WebSessions sessions, PortfolioReader reader) {
    Router router = Router.router(vertx);
    router.route().handler(HttpPolicies::requireDecodableTarget);
    // The session is looked up in the database before the upgrade: hold the request meanwhile,
    // or its end goes by unseen and the upgrade never completes.
    router.route(Paths.PORTFOLIO_SOCKET).handler(ctx -> {
      ctx.request().pause();
      ctx.next();
    });
    new WebAssets(settings.tls().isPresent()).mount(router);
    // For the load balancer: ahead of the session handler, so probes never touch the session store.
    router.get(Paths.LIVENESS)
        .handler(HealthCheckHandler.createWithHealthChecks(NodeHealthChecks.liveness(vertx, node.cluster())));
    router.get(Paths.READINESS)
        .handler(HealthCheckHandler.createWithHealthChecks(NodeHealthChecks.readiness(vertx, node)));
    sessions.mount(router);
    router.get(Paths.API_HEALTH).handler(this::health);
    new PortfolioRoutes(reader, clock).mount(router);
    new OrderRoutes(vertx, new OrderDesk(node.pool(), OrderJobs.queueLimit(node.config()),
        OrderJobs.UserQuota.of(node.config())), clock).mount(router);
    router.route(Paths.PORTFOLIO_SOCKET).handler(sockets);
    router.route().failureHandler(HttpPolicies::handleFailure);
    return router;
  }

  private void health(RoutingContext ctx) {
    Responses.send(ctx, 200, new JsonObject()
        .put("status", "ok")
        .put("version", Version.current())
        .put("nodeId", node.nodeId())
        .put("features", new JsonObject().put("realtimePortfolio", settings.realtimeEnabled()))
        .encode());
  }

  @Override
  public Future<?> stop() {
    return sockets.closeAll(CloseReason.SERVER_SHUTDOWN)
        .compose(v -> supervisor.stop())
        .compose(v -> server == null ? Future.succeededFuture() : server.close())
        .eventually(() -> {
          sessionStore.close();
          metrics.removeGauges();
          socketMetrics.removeGauges();
          return Future.succeededFuture();
        });
  }

  /** The port the server listens on (PORT may be 0: any free port). */
  public int actualPort() {
    return server.actualPort();
  }

  /** Every endpoint served, as "METHOD /path" ("ANY" for method-less routes, path parameters as {name}): for the API docs check. */
  public List<String> endpoints() {
    List<String> endpoints = new ArrayList<>();
    for (Route route : router.getRoutes()) {
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
    return sockets.consumerCount();
  }

  /** The user's sockets the cluster-wide per-user limit counts now. */
  public Future<Integer> socketsCounted(UUID userId) {
    return sockets.socketsCounted(userId);
  }

  /** This node's open sockets, for the admin stats. */
  public ConnectionRegistry registry() {
    return registry;
  }
}
