package com.portfoliostream.common.db;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this node can use its database now, found by asking it ({@code SELECT 1} every
 * {@link #PROBE_MS}, each given {@link #ANSWER_MS}): down after {@link #FAILURES_FOR_DOWN} failed
 * probes in a row, so one slow answer is not an outage; up again at the first answer. Each
 * change is logged once (a WARN when it goes, an INFO naming how long it was away when it is back)
 * and told to the listeners, on the context that started the watch. Between the changes, the
 * work that fails because of the outage logs at DEBUG, so an outage costs two lines, not one a
 * request.
 */
public final class DatabaseWatch {

  public static final long PROBE_MS = 1_000;
  static final long ANSWER_MS = 2_000;
  static final int FAILURES_FOR_DOWN = 2;
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseWatch.class);

  private final Vertx vertx;
  private final Pool pool;
  private final List<Consumer<Boolean>> listeners = new ArrayList<>();
  /** Completed at the next answered probe: work that failed in a blip waits for it, at most one each. */
  private final List<Promise<Void>> waitingForAnswer = new ArrayList<>();
  private long timer = -1;
  private boolean probing;
  private int failures;
  private boolean up = true;
  private long downSince;

  public DatabaseWatch(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
  }

  /** Called with {@code false} when the database goes, {@code true} when it is back. */
  public DatabaseWatch onChange(Consumer<Boolean> listener) {
    listeners.add(listener);
    return this;
  }

  public void start() {
    timer = vertx.setPeriodic(PROBE_MS, id -> probe());
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }

  /** From any thread: completes once a probe is answered (right after a blip, or when an outage ends). */
  public Future<Void> nextAnswer() {
    Promise<Void> answered = Promise.promise();
    synchronized (waitingForAnswer) {
      waitingForAnswer.add(answered);
    }
    return answered.future();
  }

  private void probe() {
    if (probing) {
      return;
    }
    probing = true;
    pool.query("SELECT 1").execute().timeout(ANSWER_MS, TimeUnit.MILLISECONDS)
        .onComplete(done -> {
          probing = false;
          if (done.succeeded()) {
            answered();
          } else {
            unanswered(done.cause());
          }
        });
  }

  private void answered() {
    failures = 0;
    if (!up) {
      up = true;
      LOG.info("Database reachable again after {} s", (System.currentTimeMillis() - downSince) / 1_000);
      listeners.forEach(l -> l.accept(true));
    }
    List<Promise<Void>> waiting;
    synchronized (waitingForAnswer) {
      waiting = List.copyOf(waitingForAnswer);
      waitingForAnswer.clear();
    }
    waiting.forEach(Promise::tryComplete);
  }

  private void unanswered(Throwable cause) {
    if (++failures < FAILURES_FOR_DOWN || !up) {
      return;
    }
    up = false;
    downSince = System.currentTimeMillis();
    LOG.warn("Database unreachable ({}): readiness is down, requests are answered 503 and sockets told "
        + "DATA_STALE until it is back", DatabaseFailures.summary(cause));
    listeners.forEach(l -> l.accept(false));
  }
}
