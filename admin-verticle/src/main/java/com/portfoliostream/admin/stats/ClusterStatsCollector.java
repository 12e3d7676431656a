package com.portfoliostream.admin.stats;

import com.portfoliostream.common.cluster.ClusterView;
import com.portfoliostream.common.stats.NodeStats;
import com.portfoliostream.events.protocol.BusAddresses;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks every node of the cluster for its stats: publishes one request carrying this admin node's
 * reply address and a request id, gathers the answers for a bounded time, and compares them with
 * the cluster's member list. At most {@link #MAX_IN_FLIGHT} rounds run at once; more are refused.
 */
public final class ClusterStatsCollector {

  public static final int MAX_IN_FLIGHT = 8;
  private static final Logger LOG = LoggerFactory.getLogger(ClusterStatsCollector.class);

  /** One round in progress. */
  private record Round(Promise<Collection> promise, Map<String, NodeStats> answers, long timerId) {}

  private final Vertx vertx;
  private final ClusterView cluster;
  private final Duration timeout;
  private final Clock clock;
  private final String replyAddress = BusAddresses.NODE_STATS_REPLY_PREFIX + UUID.randomUUID();
  private final Map<String, Round> rounds = new HashMap<>();
  private MessageConsumer<JsonObject> consumer;

  public ClusterStatsCollector(Vertx vertx, ClusterView cluster, Duration timeout, Clock clock) {
    this.vertx = vertx;
    this.cluster = cluster;
    this.timeout = timeout;
    this.clock = clock;
  }

  /** Registers this node's reply address across the cluster. */
  public Future<Void> start() {
    consumer = vertx.eventBus().consumer(replyAddress, this::answered);
    return consumer.completion();
  }

  public Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  /** Completes once every member answered, or when the timeout has passed. */
  public Future<Collection> collect() {
    if (rounds.size() >= MAX_IN_FLIGHT) {
      return Future.failedFuture(new IllegalStateException("too many stats requests at once"));
    }
    String requestId = UUID.randomUUID().toString();
    Promise<Collection> promise = Promise.promise();
    long timerId = vertx.setTimer(timeout.toMillis(), id -> finish(requestId));
    rounds.put(requestId, new Round(promise, new LinkedHashMap<>(), timerId));
    vertx.eventBus().publish(BusAddresses.NODE_STATS, new NodeStats.Request(requestId, replyAddress).toJson());
    return promise.future();
  }

  private void answered(Message<JsonObject> message) {
    NodeStats answer = read(message.body());
    Round round = answer == null || answer.requestId() == null ? null : rounds.get(answer.requestId());
    if (round == null) {
      return;
    }
    round.answers().put(answer.clusterNodeId(), answer);
    if (round.answers().keySet().containsAll(members())) {
      vertx.cancelTimer(round.timerId());
      finish(answer.requestId());
    }
  }

  /** A malformed answer is logged and dropped: its node is then reported missing. */
  private static NodeStats read(JsonObject body) {
    try {
      return body == null ? null : NodeStats.fromJson(body);
    } catch (RuntimeException e) {
      LOG.warn("Dropped a malformed node stats answer: {}", e.toString());
      return null;
    }
  }

  private void finish(String requestId) {
    Round round = rounds.remove(requestId);
    if (round == null) {
      return;
    }
    List<String> missing = new ArrayList<>(members());
    missing.removeAll(round.answers().keySet());
    missing.sort(null);
    round.promise().complete(new Collection(clock.instant(), List.copyOf(round.answers().values()), missing));
  }

  private List<String> members() {
    return cluster.liveNodes();
  }
}
