package com.portfoliostream.admin.node;

import com.portfoliostream.common.NodeContext;
import com.portfoliostream.common.config.Role;
import com.portfoliostream.events.protocol.BusAddresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;

/**
 * Every node's stats responder: answers a request published on {@link BusAddresses#NODE_STATS}
 * with a summary of its own registry (totals, the last minute, gauges of other roles) and, on a
 * stream node, its sockets per user and latest disconnects. Counts and user ids only.
 */
public final class NodeStatsVerticle extends VerticleBase {

  /** How long the local stream edge may take to describe its sockets. */
  private static final long EDGE_TIMEOUT_MS = 500;

  private final NodeContext node;
  private final Clock clock;
  private final MeterReadings readings;
  private final MetricWindow window = new MetricWindow();
  private final Instant startedAt;

  public NodeStatsVerticle(NodeContext node) {
    this(node, Clock.systemUTC());
  }

  public NodeStatsVerticle(NodeContext node, Clock clock) {
    this.node = node;
    this.clock = clock;
    this.readings = new MeterReadings(node.metrics());
    this.startedAt = clock.instant();
  }

  @Override
  public Future<?> start() {
    window.add(readings.sample(clock.instant()));
    vertx.setPeriodic(MetricWindow.STEP.toMillis(), id -> window.add(readings.sample(clock.instant())));
    return vertx.eventBus().<JsonObject>consumer(BusAddresses.NODE_STATS, this::answer).completion();
  }

  private void answer(Message<JsonObject> request) {
    JsonObject body = request.body();
    String replyTo = body == null ? null : body.getString("replyTo");
    if (replyTo == null || !replyTo.startsWith(BusAddresses.NODE_STATS_REPLY_PREFIX)) {
      return;
    }
    String requestId = body.getString("requestId");
    edgeStats().onComplete(edge -> vertx.eventBus().send(replyTo, summary(requestId, edge.result())));
  }

  /** The stream edge's sockets per user; null when this node has no stream role. */
  private Future<JsonObject> edgeStats() {
    if (!node.config().hasRole(Role.STREAM)) {
      return Future.succeededFuture();
    }
    return vertx.eventBus().<JsonObject>request(BusAddresses.EDGE_STATS_LOCAL, new JsonObject(),
            new DeliveryOptions().setSendTimeout(EDGE_TIMEOUT_MS).setLocalOnly(true))
        .map(Message::body)
        .otherwise((JsonObject) null);
  }

  JsonObject summary(String requestId, JsonObject edge) {
    Sample now = readings.sample(clock.instant());
    JsonArray roles = new JsonArray();
    node.config().roles().stream().map(Role::configName).sorted().forEach(roles::add);
    return new JsonObject()
        .put("requestId", requestId)
        .put("nodeId", node.nodeId())
        .put("clusterNodeId", node.cluster().localNodeId())
        .put("roles", roles)
        .put("startedAt", startedAt.toString())
        .put("at", now.at().toString())
        .put("totals", now.totals())
        .put("lastMinute", now.since(window.baseline(now)))
        .put("disconnectsByReason", readings.disconnectsByReason())
        .put("gauges", readings.gauges())
        .put("edge", edge);
  }
}
