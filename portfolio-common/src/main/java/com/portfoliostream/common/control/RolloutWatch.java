package com.portfoliostream.common.control;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rollout as this node last read it, read again whenever operators change it
 * ({@link ControlSignals.Kind#ROLLOUT}) and every {@link #REFRESH_MS} as a backstop. Until the
 * first read the node admits everyone ({@link RolloutPolicy#EVERYONE}), as the table's default does.
 * {@link #current()} is safe from any thread.
 */
public final class RolloutWatch {

  static final long REFRESH_MS = 30_000;
  private static final Logger LOG = LoggerFactory.getLogger(RolloutWatch.class);

  private record Listener(Context context, Consumer<RolloutPolicy> action) {}

  private final Vertx vertx;
  private final Pool pool;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private volatile RolloutPolicy current = RolloutPolicy.EVERYONE;
  private long timer = -1;
  private Runnable signal = () -> {};

  private RolloutWatch(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
  }

  /** Reads the rollout once (a failure keeps EVERYONE and is retried), then follows its changes. */
  public static Future<RolloutWatch> start(Vertx vertx, Pool pool, ControlSignals signals) {
    RolloutWatch watch = new RolloutWatch(vertx, pool);
    watch.signal = signals.on(vertx, ControlSignals.Kind.ROLLOUT, watch::reload);
    watch.timer = vertx.setPeriodic(REFRESH_MS, id -> watch.reload());
    return watch.load().recover(e -> {
      LOG.warn("Could not read the real-time rollout ({}); admitting everyone until it can be read", e.getMessage());
      return Future.succeededFuture();
    }).map(watch);
  }

  public RolloutPolicy current() {
    return current;
  }

  /** Called, on the context that calls this, with each policy that differs from the one before. */
  public void onChange(Vertx vertx, Consumer<RolloutPolicy> listener) {
    listeners.add(new Listener(vertx.getOrCreateContext(), listener));
  }

  public void stop() {
    vertx.cancelTimer(timer);
    signal.run();
    listeners.clear();
  }

  private void reload() {
    load().onFailure(e -> LOG.debug("Could not read the real-time rollout: {}", e.getMessage()));
  }

  private Future<Void> load() {
    return RolloutStore.read(pool).map(policy -> {
      RolloutPolicy before = current;
      current = policy;
      if (!policy.equals(before)) {
        LOG.info("Real-time rollout now {}: {} %, {} allowed, {} denied", policy.enabled() ? "on" : "off",
            policy.percentage(), policy.allow().size(), policy.deny().size());
        listeners.forEach(listener -> listener.context().runOnContext(v -> listener.action().accept(policy)));
      }
      return null;
    });
  }
}
