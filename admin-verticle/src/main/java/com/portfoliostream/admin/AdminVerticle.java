package com.portfoliostream.admin;

import com.portfoliostream.web.Paths;
import com.portfoliostream.admin.stats.ClusterStats;
import com.portfoliostream.admin.stats.ClusterStatsCollector;
import com.portfoliostream.admin.stats.Collection;
import com.portfoliostream.admin.stats.StatusRules;
import com.portfoliostream.admin.stats.UptimeHistory;
import com.portfoliostream.common.NodeContext;
import com.portfoliostream.common.health.NodeHealthChecks;
import com.portfoliostream.web.auth.AuthRoutes;
import com.portfoliostream.web.auth.WebSessions;
import com.portfoliostream.web.session.PgSessionStore;
import com.portfoliostream.web.http.ConnectionGuard;
import com.portfoliostream.web.http.ReadinessHandler;
import com.portfoliostream.web.session.SessionLimits;
import com.portfoliostream.web.http.HttpPolicies;
import com.portfoliostream.web.http.SecurityHeaders;
import com.portfoliostream.web.http.Responses;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import com.portfoliostream.admin.manage.AdminRoutes;
import com.portfoliostream.admin.manage.Administration;
import com.portfoliostream.broker.BrokerSettings;
import com.portfoliostream.broker.rest.AlpacaRestClient;
import com.portfoliostream.common.config.Setting;
import com.portfoliostream.common.security.PasswordHashing;
import com.portfoliostream.web.http.ClientAddress;
import java.util.Optional;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management HTTP server on ADMIN_PORT, one per node: {@code /metrics} (Prometheus, for
 * scrapers), {@code /health} and {@code /readiness}. With the admin role it also serves the admin
 * console and {@code /api/admin/websocket-stats}, behind the cluster's cookie session (admins only).
 */
public final class AdminVerticle extends VerticleBase {

  /** How often the admin role checks the service for its uptime figure. */
  static final Duration UPTIME_CHECK = Duration.ofSeconds(15);
  private static final String CONSOLE_RESOURCES = "admin-console";
  private static final Logger LOG = LoggerFactory.getLogger(AdminVerticle.class);

  private final NodeContext node;
  private final boolean console;
  private final Clock clock;
  private final UptimeHistory uptime = new UptimeHistory(UPTIME_CHECK);
  private ClusterStatsCollector collector;
  private PgSessionStore sessions;
  private HttpServer server;
  private AlpacaRestClient broker;

  private AdminVerticle(NodeContext node, boolean console, Clock clock) {
    this.node = node;
    this.console = console;
    this.clock = clock;
  }

  /** The admin role: management endpoints, the console and the cluster-wide stats. */
  public static AdminVerticle withConsole(NodeContext node) {
    return new AdminVerticle(node, true, Clock.systemUTC());
  }

  /** Any other node: the management endpoints only. */
  public static AdminVerticle managementOnly(NodeContext node) {
    return new AdminVerticle(node, false, Clock.systemUTC());
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.route().handler(HttpPolicies::requireDecodableTarget);
    router.get(Paths.METRICS).handler(this::metrics);
    router.get(Paths.LIVENESS).handler(HealthCheckHandler.createWithHealthChecks(NodeHealthChecks.liveness(vertx, node.cluster())));
    router.get(Paths.READINESS).handler(ReadinessHandler.of(vertx, node));
    Future<Void> ready = console ? mountConsole(router) : Future.succeededFuture();
    ConnectionGuard guard = ConnectionGuard.forNode(vertx, node.config());
    return ready.compose(v -> guard.install(vertx.createHttpServer(guard.apply(new HttpServerOptions()
            .setHost(node.config().adminBindHost()).setPort(node.config().adminPort()))), router).listen())
        .onSuccess(s -> {
          server = s;
          LOG.info("Management server listening on {}:{} ({})", node.config().adminBindHost(), s.actualPort(),
              console ? "metrics, health, admin console" : "metrics, health");
        });
  }

  private Future<Void> mountConsole(Router router) {
    collector = new ClusterStatsCollector(vertx, node.cluster(), AdminSettings.of(node.config()).statsTimeout(), clock);
    return collector.start()
        .compose(v -> WebSessions.create(vertx, node, sessionStore()))
        .map(sessions -> {
          sessions.mount(router);
          // As on the edge: the console's first GET under /api/ hands out the CSRF cookie.
          router.get(Paths.API_HEALTH).handler(ctx -> Responses.send(ctx, 200,
              new JsonObject().put("status", "ok").put("nodeId", node.nodeId()).encode()));
          router.route(Paths.ADMIN_API_ALL).handler(AuthRoutes::requireAdmin);
          router.get(Paths.ADMIN_STATS).handler(this::stats);
          new AdminRoutes(administration(), new ClientAddress(node.config().settings().cidrs(Setting.TRUSTED_PROXIES)))
              .mount(router);
          router.get(Paths.ROOT).handler(ctx -> ctx.redirect(Paths.ADMIN_CONSOLE));
          router.route(Paths.under(Paths.ADMIN_CONSOLE)).handler(SecurityHeaders.forPages(false))
              .handler(StaticHandler.create(CONSOLE_RESOURCES));
          router.route().failureHandler(HttpPolicies::handleFailure);
          vertx.setPeriodic(UPTIME_CHECK.toMillis(), id -> checkUptime());
          return null;
        });
  }

  /** Tests credentials against the broker this deployment points at (BROKER_API_URL, else the simulator). */
  private Administration administration() {
    broker = new AlpacaRestClient(vertx, BrokerSettings.from(node.config()).restUrl(), AlpacaRestClient.DEFAULT_TIMEOUT);
    return new Administration(vertx, node.pool(), PasswordHashing.fromConfig(node.config()), node.cipher(),
        Optional.of(broker));
  }

  private PgSessionStore sessionStore() {
    sessions = PgSessionStore.create(vertx, node.pool(), SessionLimits.of(node.config()));
    return sessions;
  }

  private void metrics(RoutingContext ctx) {
    if (!(node.metrics() instanceof PrometheusMeterRegistry prometheus)) {
      ctx.response().setStatusCode(404).end();
      return;
    }
    ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(prometheus.scrape());
  }

  private void stats(RoutingContext ctx) {
    collector.collect().map(collection -> ClusterStats.of(collection, uptime.percent()))
        .onSuccess(stats -> Responses.send(ctx, 200, stats.encode()))
        .onFailure(ctx::fail);
  }

  /** The periodic check behind the uptime figure: up while streaming is on and not unhealthy. */
  private void checkUptime() {
    collector.collect().onSuccess(collection -> {
      JsonObject stats = ClusterStats.of(collection, uptime.percent());
      uptime.record(collection.at(), stats.getBoolean("enabled")
          && !StatusRules.Level.UNHEALTHY.wire().equals(stats.getString("status")));
    });
  }

  @Override
  public Future<?> stop() {
    if (sessions != null) {
      sessions.close();
    }
    if (broker != null) {
      broker.close();
    }
    Future<Void> unregistered = collector == null ? Future.succeededFuture() : collector.stop();
    return unregistered.compose(v -> server == null ? Future.succeededFuture() : server.close());
  }

  /** The port the server listens on (ADMIN_PORT may be 0: any free port). */
  public int actualPort() {
    return server.actualPort();
  }
}
