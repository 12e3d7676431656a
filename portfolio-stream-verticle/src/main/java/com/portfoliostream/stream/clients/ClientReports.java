package com.portfoliostream.stream.clients;

import static com.portfoliostream.common.metrics.MetricNames.CLIENT_STATUS_CHANGES;
import static com.portfoliostream.common.metrics.MetricNames.TAG_STATUS;

import com.portfoliostream.web.Paths;
import com.portfoliostream.web.auth.AuthRoutes;
import com.portfoliostream.web.http.ApiError;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/client-events}: browser clients report their connection status changes
 * ({@code {"events": [{"status": "connecting"}, {"status": "connected"}]}}), so that the node can
 * count what only the client sees: connection attempts, connections established, and falls back
 * to REST polling ({@code client_status_changes_total{status}}: the seed's connection success rate
 * and fallback activation rate). Bounded: at most {@link #MAX_EVENTS} events a report and
 * {@link #REPORTS_PER_MINUTE} reports a minute per session (429 beyond, with Retry-After), counted
 * in one map per node, shared by its socket-serving loops, of at most {@link #MAX_SESSIONS}
 * sessions' minutes (the session id never leaves it). An unknown status is a 400 and
 * nothing of that report is counted.
 */
public final class ClientReports {

  public static final int MAX_EVENTS = 20;
  public static final int REPORTS_PER_MINUTE = 12;
  public static final int MAX_SESSIONS = 50_000;
  /** What a client may report (the client's STATUS values). */
  public static final List<String> STATUSES = List.of("connecting", "connected", "reconnecting", "polling", "offline",
      "disabled");

  private final Clock clock;
  private final Map<String, Counter> counters = new LinkedHashMap<>();
  /** Per session: the start of its current minute (epoch ms) and its reports in it. */
  private final ConcurrentHashMap<String, long[]> windows = new ConcurrentHashMap<>();

  public ClientReports(MeterRegistry registry, Clock clock) {
    this.clock = clock;
    for (String status : STATUSES) {
      counters.put(status, Counter.builder(CLIENT_STATUS_CHANGES).tag(TAG_STATUS, status)
          .description("Connection status changes the browser clients reported").register(registry));
    }
  }

  public void mount(Router router) {
    router.post(Paths.CLIENT_EVENTS).handler(AuthRoutes::requireUser).handler(this::report);
  }

  private void report(RoutingContext ctx) {
    List<String> statuses = statuses(ctx);
    if (statuses == null) {
      return;
    }
    if (!admit(ctx.session().id())) {
      ctx.response().putHeader("Retry-After", "60");
      ApiError.CLIENT_REPORTS_RATE_LIMITED.send(ctx, "More than " + REPORTS_PER_MINUTE
          + " client reports in a minute from this session; send them together", Map.of("perMinute", REPORTS_PER_MINUTE));
      return;
    }
    statuses.forEach(status -> counters.get(status).increment());
    ctx.response().setStatusCode(204).end();
  }

  /** The reported statuses, or null after answering 400. */
  private static List<String> statuses(RoutingContext ctx) {
    JsonArray events;
    try {
      JsonObject body = ctx.body().asJsonObject();
      events = body == null ? null : body.getJsonArray("events");
    } catch (RuntimeException e) {
      events = null;
    }
    if (events == null || events.isEmpty() || events.size() > MAX_EVENTS) {
      ApiError.INVALID_REQUEST.send(ctx, "The body must be {\"events\": [{\"status\": ...}]} with 1 to " + MAX_EVENTS
          + " events", Map.of("field", "events"));
      return null;
    }
    List<String> statuses = new java.util.ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      Object event = events.getValue(i);
      Object status = event instanceof JsonObject json ? json.getValue("status") : null;
      if (!(status instanceof String s) || !STATUSES.contains(s)) {
        ApiError.INVALID_REQUEST.send(ctx, "events[" + i + "].status must be one of " + String.join(", ", STATUSES),
            Map.of("field", "events[" + i + "].status"));
        return null;
      }
      statuses.add(s);
    }
    return statuses;
  }

  /**
   * Counts one report of the session in its current minute (which starts at its first report);
   * false past the limit, or when the map holds {@link #MAX_SESSIONS} live windows already.
   */
  private boolean admit(String sessionId) {
    long now = clock.millis();
    if (!windows.containsKey(sessionId) && windows.size() >= MAX_SESSIONS) {
      windows.values().removeIf(w -> now - w[0] >= 60_000);
      if (windows.size() >= MAX_SESSIONS) {
        return false;
      }
    }
    boolean[] admitted = new boolean[1];
    windows.compute(sessionId, (id, window) -> {
      if (window == null || now - window[0] >= 60_000) {
        admitted[0] = true;
        return new long[] {now, 1};
      }
      admitted[0] = window[1] < REPORTS_PER_MINUTE;
      if (admitted[0]) {
        window[1]++;
      }
      return window;
    });
    return admitted[0];
  }
}
