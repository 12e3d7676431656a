package com.portfoliostream.node;

import com.portfoliostream.common.NodeContext;
import com.portfoliostream.common.config.Role;
import com.portfoliostream.events.protocol.BusAddresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.eventbus.Message;
import java.time.Instant;

/**
 * Answers cluster pings: every node, whatever its roles, replies to a ping published on
 * {@link BusAddresses#CLUSTER_PING} with who it is, so operators and tests can see the cluster.
 */
final class ClusterPresenceVerticle extends VerticleBase {

  private final NodeContext node;
  private final Instant startedAt = Instant.now();

  ClusterPresenceVerticle(NodeContext node) {
    this.node = node;
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().<JsonObject>consumer(BusAddresses.CLUSTER_PING, this::answer).completion();
  }

  private void answer(Message<JsonObject> ping) {
    String replyTo = ping.body() == null ? null : ping.body().getString("replyTo");
    if (replyTo == null || replyTo.isBlank()) {
      return;
    }
    JsonArray roles = new JsonArray();
    node.config().roles().stream().map(Role::configName).sorted().forEach(roles::add);
    vertx.eventBus().send(replyTo, new JsonObject()
        .put("nodeId", node.nodeId())
        .put("roles", roles)
        .put("startedAt", startedAt.toString()));
  }
}
