package com.portfoliostream.common.health;

import com.portfoliostream.common.NodeContext;
import com.portfoliostream.common.cluster.ClusterView;
import com.portfoliostream.common.config.Role;
import com.portfoliostream.common.metrics.MetricNames;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import java.time.Duration;
import java.util.OptionalDouble;

/**
 * The node's health procedures ({@code vertx-health-check}), served on the liveness path (liveness:
 * is the node still a cluster member) and the readiness path (may the load balancer send traffic:
 * database, cluster membership, and, on ingest nodes, the broker streams this node owns).
 */
public final class NodeHealthChecks {

  /** No broker event for this long while the market is open means the owned streams are silent. */
  public static final Duration BROKER_SILENCE_LIMIT = Duration.ofMinutes(2);
  public static final String DATABASE = "database";
  public static final String CLUSTER = "cluster";
  public static final String BROKER_STREAMS = "broker-streams";
  public static final String DRAINING = "draining";
  private static final long TIMEOUT_MS = 2_000;

  private NodeHealthChecks() {}

  /** Liveness: the node is a member of its cluster. */
  public static HealthChecks liveness(Vertx vertx, ClusterView cluster) {
    return HealthChecks.create(vertx).register(CLUSTER, TIMEOUT_MS, p -> cluster(cluster, p));
  }

  /**
   * Readiness: not draining, database, cluster membership, and broker streams when the node
   * ingests. Each answers within {@code TIMEOUT_MS}; none touches a session.
   */
  public static HealthChecks readiness(Vertx vertx, NodeContext node) {
    HealthChecks checks = HealthChecks.create(vertx)
        .register(DRAINING, TIMEOUT_MS, p -> p.complete(NodeDrain.isDraining(vertx)
            ? Status.KO(new JsonObject().put("draining", true)) : Status.OK()))
        .register(DATABASE, TIMEOUT_MS, p -> database(node, p))
        .register(CLUSTER, TIMEOUT_MS, p -> cluster(node.cluster(), p));
    if (node.config().hasRole(Role.INGEST)) {
      checks.register(BROKER_STREAMS, TIMEOUT_MS, p -> p.complete(brokerStreams(node.metrics())));
    }
    return checks;
  }

  private static void database(NodeContext node, Promise<Status> promise) {
    answer(node.pool().query("SELECT 1").execute(), promise);
  }

  /**
   * The check's status once {@code query} answers. The health checks gave up after their timeout
   * and answered KO already when the database is slow (a partition, a full pool): a late answer
   * is then dropped, not completed a second time (which threw on the event loop).
   */
  static void answer(Future<?> query, Promise<Status> promise) {
    query.onComplete(done -> promise.tryComplete(done.succeeded() ? Status.OK()
        : Status.KO(new JsonObject().put("error", done.cause().getClass().getSimpleName()))));
  }

  private static void cluster(ClusterView cluster, Promise<Status> promise) {
    if (!cluster.isClustered()) {
      promise.complete(Status.KO(new JsonObject().put("clustered", false)));
      return;
    }
    JsonObject data = new JsonObject().put("members", cluster.liveNodes().size());
    promise.complete(cluster.isMember() ? Status.OK(data) : Status.KO(data));
  }

  /**
   * Down only when this node owns streams, the market is open and nothing came for longer than
   * {@link #BROKER_SILENCE_LIMIT}; a node owning no stream is ready (another node owns them).
   * Before the ingest role reports its gauges, the check is up and says so.
   */
  static Status brokerStreams(MeterRegistry registry) {
    OptionalDouble owned = gauge(registry, MetricNames.BROKER_STREAMS_OWNED);
    if (owned.isEmpty()) {
      return Status.OK(new JsonObject().put("reported", false));
    }
    OptionalDouble age = gauge(registry, MetricNames.BROKER_LAST_EVENT_AGE);
    boolean open = gauge(registry, MetricNames.BROKER_MARKET_OPEN).orElse(0) >= 1;
    JsonObject data = new JsonObject().put("streamsOwned", (long) owned.getAsDouble()).put("marketOpen", open);
    age.ifPresent(a -> data.put("lastEventAgeSeconds", (long) a));
    boolean silent = open && owned.getAsDouble() > 0
        && age.orElse(0) > BROKER_SILENCE_LIMIT.toSeconds();
    return silent ? Status.KO(data) : Status.OK(data);
  }

  /** The value of a gauge of this node's registry, when some module registered it. */
  public static OptionalDouble gauge(MeterRegistry registry, String name) {
    Gauge gauge = registry.find(name).gauge();
    if (gauge == null || Double.isNaN(gauge.value())) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(gauge.value());
  }
}
