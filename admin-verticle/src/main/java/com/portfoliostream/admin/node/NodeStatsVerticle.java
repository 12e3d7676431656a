package com.portfoliostream.admin.node;

import com.portfoliostream.common.NodeContext;
import com.portfoliostream.common.config.Role;
import com.portfoliostream.common.stats.EdgeStats;
import com.portfoliostream.common.stats.NodeStats;
import com.portfoliostream.events.protocol.BusAddresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

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
    NodeStats.Request asked = NodeStats.Request.fromJson(request.body());
    if (asked == null || !asked.replyTo().startsWith(BusAddresses.NODE_STATS_REPLY_PREFIX)) {
      return;
    }
    edgeStats().onComplete(edge ->
        vertx.eventBus().send(asked.replyTo(), summary(asked.requestId(), edge.result()).toJson()));
  }

  /** The stream edge's sockets per user; null when this node has no stream role. */
  private Future<EdgeStats> edgeStats() {
    if (!node.config().hasRole(Role.STREAM)) {
      return Future.succeededFuture();
    }
    return vertx.eventBus().<JsonObject>request(BusAddresses.EDGE_STATS_LOCAL, new JsonObject(),
            new DeliveryOptions().setSendTimeout(EDGE_TIMEOUT_MS).setLocalOnly(true))
        .map(reply -> EdgeStats.fromJson(reply.body()))
        .otherwise((EdgeStats) null);
  }

  NodeStats summary(String requestId, EdgeStats edge) {
    Sample now = readings.sample(clock.instant());
    List<String> roles = node.config().roles().stream().map(Role::configName).sorted().toList();
    return new NodeStats(requestId, node.nodeId(), node.cluster().localNodeId(), roles, startedAt, now.at(),
        now.totals(), now.since(window.baseline(now)), readings.disconnectsByReason(), readings.gauges(), edge);
  }
}
