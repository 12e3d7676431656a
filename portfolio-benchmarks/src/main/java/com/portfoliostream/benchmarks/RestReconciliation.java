package com.portfoliostream.benchmarks;

import com.portfoliostream.web.Paths;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the real client does beside its socket: a REST read of the user's positions every
 * {@link #EVERY_MS} (its reconciliation), spread evenly over the users. Without it a soak's users
 * are idle to the session store and their sessions expire after SESSION_TIMEOUT_MINUTES, closing
 * every socket 1008, as a run did at minute 30. Answers are counted by status.
 */
final class RestReconciliation implements AutoCloseable {

  static final long EVERY_MS = 60_000;

  private final Vertx vertx;
  private final WebClient web;
  private final int port;
  private final List<String> cookies;
  private final Map<Integer, AtomicInteger> answers = new TreeMap<>();
  private long timer = -1;
  private int next;

  RestReconciliation(Vertx vertx, int port, List<String> cookies) {
    this.vertx = vertx;
    this.web = WebClient.create(vertx);
    this.port = port;
    this.cookies = List.copyOf(cookies);
  }

  void start() {
    long spacing = Math.max(1, EVERY_MS / Math.max(1, cookies.size()));
    timer = vertx.setPeriodic(spacing, id -> readOne());
  }

  private void readOne() {
    String cookie = cookies.get(next++ % cookies.size());
    web.get(port, "127.0.0.1", Paths.POSITIONS).putHeader("Cookie", cookie).send()
        .onComplete(done -> count(done.succeeded() ? done.result().statusCode() : -1));
  }

  private synchronized void count(int status) {
    answers.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
  }

  /** Answers so far by HTTP status (-1: no answer). */
  synchronized Map<Integer, Integer> answers() {
    Map<Integer, Integer> copy = new TreeMap<>();
    answers.forEach((status, n) -> copy.put(status, n.get()));
    return copy;
  }

  @Override
  public void close() {
    vertx.cancelTimer(timer);
    web.close();
  }
}
