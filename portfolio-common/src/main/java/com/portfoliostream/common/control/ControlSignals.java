package com.portfoliostream.common.control;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells every node that operators changed something it acts on: users (disabled, deleted),
 * broker accounts (linked, rotated, unlinked), the real-time rollout, the credentials key. A change
 * bumps its kind's counter in {@code control_versions} in its own transaction ({@link #bump}); each
 * node reads the counters every {@link #POLL_MS} and runs the handlers of the kinds whose counter
 * moved. Through the database rather than the event bus because the CLI is not on the cluster, and
 * the database reaches every node whatever the cluster's membership says.
 *
 * <p>One per node (in the {@link com.portfoliostream.common.NodeContext}); it starts polling when
 * the first handler is added, on that caller's Vert.x. Handlers run on the context that added them.
 */
public final class ControlSignals {

  /** How often a node reads the counters: a change reaches every node within about this. */
  public static final long POLL_MS = 1_000;
  private static final Logger LOG = LoggerFactory.getLogger(ControlSignals.class);
  private static final String READ = "SELECT kind, version FROM control_versions";
  private static final String BUMP = "UPDATE control_versions SET version = version + 1, changed_at = now() WHERE kind = $1";

  /** What changed. */
  public enum Kind {
    USERS, ACCOUNTS, ROLLOUT, KEYS;

    String column() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private record Handler(Context context, Runnable action) {}

  private final Pool pool;
  private final Map<Kind, List<Handler>> handlers = new EnumMap<>(Kind.class);
  private final Map<Kind, Long> seen = new EnumMap<>(Kind.class);
  private Vertx vertx;
  private long timer = -1;
  private boolean reading;
  private boolean failing;

  public ControlSignals(Pool pool) {
    this.pool = pool;
    for (Kind kind : Kind.values()) {
      handlers.put(kind, new CopyOnWriteArrayList<>());
    }
  }

  /** Bumps {@code kind}'s counter through {@code client}: pass the change's transaction, so nodes see both or neither. */
  public static Future<Void> bump(SqlClient client, Kind kind) {
    return client.preparedQuery(BUMP).execute(Tuple.of(kind.column())).mapEmpty();
  }

  /**
   * Runs {@code action} on the calling context each time {@code kind} changes, until the returned
   * handle is run (call it when the caller stops).
   */
  public synchronized Runnable on(Vertx vertx, Kind kind, Runnable action) {
    Handler handler = new Handler(vertx.getOrCreateContext(), action);
    handlers.get(kind).add(handler);
    if (this.vertx == null) {
      this.vertx = vertx;
      timer = vertx.setPeriodic(POLL_MS, id -> poll());
      poll();
    }
    return () -> handlers.get(kind).remove(handler);
  }

  /** Stops polling (the node is stopping). */
  public synchronized void close() {
    if (vertx != null && timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private synchronized void poll() {
    if (reading || timer < 0) {
      return;
    }
    reading = true;
    pool.query(READ).execute().onComplete(read -> {
      List<Kind> changed = new java.util.ArrayList<>();
      synchronized (this) {
        reading = false;
        if (read.failed()) {
          if (!failing) {
            LOG.warn("Could not read the operators' change counters ({}); retrying every {} ms",
                read.cause().getMessage(), POLL_MS);
          }
          failing = true;
          return;
        }
        if (failing) {
          LOG.info("Reading the operators' change counters again");
        }
        failing = false;
        for (Row row : read.result()) {
          Kind kind = kindOf(row.getString("kind"));
          if (kind == null) {
            continue;
          }
          long version = row.getLong("version");
          Long before = seen.put(kind, version);
          if (before != null && before != version) {
            changed.add(kind);
          }
        }
      }
      changed.forEach(this::dispatch);
    });
  }

  private void dispatch(Kind kind) {
    LOG.debug("Operators changed {}", kind);
    for (Handler handler : handlers.get(kind)) {
      handler.context().runOnContext(v -> {
        try {
          handler.action().run();
        } catch (RuntimeException e) {
          LOG.warn("Acting on a change of {} failed: {}", kind, e.toString());
        }
      });
    }
  }

  private static Kind kindOf(String column) {
    for (Kind kind : Kind.values()) {
      if (kind.column().equals(column)) {
        return kind;
      }
    }
    return null;
  }
}
