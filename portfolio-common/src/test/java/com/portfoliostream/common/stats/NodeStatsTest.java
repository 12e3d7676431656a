package com.portfoliostream.common.stats;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.common.stats.NodeCounts.Count;
import com.portfoliostream.common.stats.NodeCounts.Latency;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The node stats message")
class NodeStatsTest {

  private static final Instant T0 = Instant.parse("2026-01-05T14:30:00Z");

  private static NodeStats stats(EdgeStats edge) {
    NodeCounts totals = new NodeCounts(null, Map.of(Count.FRAMES_SENT, 7L, Count.EVENTS_EMITTED, 9L),
        new Latency(3, 42.5, new TreeMap<>(Map.of(10.0, 1L, 100.0, 3L))));
    NodeCounts minute = new NodeCounts(60.0, Map.of(Count.DISCONNECTS, 2L), Latency.NONE);
    return new NodeStats("r1", "n1", "c1", List.of("admin", "stream"), T0, T0.plusSeconds(90), totals, minute,
        Map.of("client_close", 2L), Map.of("portfolio_ws_active_connections", 3.0), edge);
  }

  @Test
  @DisplayName("reads back what it writes, through the wire form, with and without the stream edge's part")
  void roundTrip() {
    EdgeStats edge = new EdgeStats(true, 100,
        List.of(new EdgeStats.UserSockets("u1", 2, T0.plusMillis(500))),
        List.of(new EdgeStats.Disconnect(T0.plusSeconds(3), "u1", "client_close")));
    for (NodeStats stats : List.of(stats(edge), stats(null))) {
      JsonObject wire = new JsonObject(stats.toJson().encode());
      assertThat(NodeStats.fromJson(wire)).isEqualTo(stats);
    }
  }

  @Test
  @DisplayName("keeps the field names the admin role has always read, and only the known counters")
  void fieldNames() {
    JsonObject json = stats(null).toJson();
    assertThat(json.fieldNames()).containsExactly("requestId", "nodeId", "clusterNodeId", "roles", "startedAt", "at",
        "totals", "lastMinute", "disconnectsByReason", "gauges", "edge");
    assertThat(json.getJsonObject("lastMinute").getDouble("seconds")).isEqualTo(60.0);
    assertThat(json.getJsonObject("totals").getJsonObject("latency").getJsonArray("buckets").getJsonArray(1).getLong(1))
        .isEqualTo(3L);
    JsonObject foreign = json.copy();
    foreign.getJsonObject("totals").put("somethingElse", 5);
    assertThat(NodeStats.fromJson(foreign).totals().counts()).containsOnlyKeys(Count.FRAMES_SENT, Count.EVENTS_EMITTED);
  }

  @Test
  @DisplayName("reads a partial answer as empty parts, never as an error")
  void partial() {
    NodeStats partial = NodeStats.fromJson(new JsonObject().put("nodeId", "n1").put("clusterNodeId", "c1"));
    assertThat(partial.totals().get(Count.FRAMES_SENT)).isZero();
    assertThat(partial.lastMinute().latency()).isEqualTo(Latency.NONE);
    assertThat(partial.gauges()).isEmpty();
    assertThat(partial.edge()).isNull();
  }

  @Test
  @DisplayName("a request is read only when it names where to reply")
  void request() {
    NodeStats.Request request = new NodeStats.Request("r1", "portfolio.admin.node-stats.reply.x");
    assertThat(NodeStats.Request.fromJson(request.toJson())).isEqualTo(request);
    assertThat(NodeStats.Request.fromJson(new JsonObject().put("requestId", "r1"))).isNull();
    assertThat(NodeStats.Request.fromJson(null)).isNull();
  }
}
