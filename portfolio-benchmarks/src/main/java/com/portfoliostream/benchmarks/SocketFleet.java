package com.portfoliostream.benchmarks;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;

/**
 * Every client of one scale run, on the driver's own event loops (no thread per socket): signs
 * the users in, a few at a time, opens their sockets, a window at a time, each from a source
 * address of the loopback block with ports to spare ({@link #SOCKETS_PER_ADDRESS} each), and
 * counts what the sockets receive in a {@link DeliveryBook} swapped per phase.
 */
final class SocketFleet {

  /** Sockets per client source address: well under the 28 000 ephemeral ports Linux gives each. */
  static final int SOCKETS_PER_ADDRESS = 10_000;
  /** Sockets being opened at once. */
  static final int OPENING_AT_ONCE = 64;

  private final Vertx vertx;
  private final Dialect dialect;
  private final int port;
  private final List<WebSocketClient> clients = new ArrayList<>();
  private final List<ScaleSocket> sockets = new ArrayList<>();
  private final Map<Integer, AtomicLong> serverCloses = new ConcurrentHashMap<>();
  private volatile DeliveryBook book = new DeliveryBook();

  SocketFleet(Vertx vertx, Dialect dialect, int port) {
    this.vertx = vertx;
    this.dialect = dialect;
    this.port = port;
  }

  /** The address the {@code index}th socket connects from: 127.0.0.1, then .2 after 10 000 sockets, and so on. */
  static String sourceAddress(int index) {
    return "127.0.0." + (1 + index / SOCKETS_PER_ADDRESS);
  }

  Dialect dialect() {
    return dialect;
  }

  DeliveryBook book() {
    return book;
  }

  /** Starts a new book for the next phase and returns the one that ends. */
  DeliveryBook swapBook() {
    DeliveryBook ended = book;
    book = new DeliveryBook();
    return ended;
  }

  /** Signs every user in, {@code atOnce} at a time; a busy answer (503) is tried again after a second. */
  Map<String, Object> signIn(List<String> usernames, String password, int atOnce, List<String> cookies)
      throws Exception {
    WebClient web = WebClient.create(vertx, new WebClientOptions(), new PoolOptions().setHttp1MaxSize(atOnce));
    AtomicLong retries = new AtomicLong();
    String[] result = new String[usernames.size()];
    long started = System.nanoTime();
    Map<String, Long> failures = inWindows(usernames.size(), atOnce, i -> signIn(web, usernames.get(i), password, retries)
        .onSuccess(cookie -> result[i] = cookie).mapEmpty());
    double seconds = (System.nanoTime() - started) / 1e9;
    web.close();
    cookies.addAll(List.of(result));
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("users", usernames.size());
    figures.put("seconds", EdgeLoadBenchmark.round(seconds));
    figures.put("signInsPerSecond", EdgeLoadBenchmark.round(usernames.size() / seconds));
    figures.put("retriedWhenBusy", retries.get());
    figures.put("failures", failures);
    return figures;
  }

  private Future<String> signIn(WebClient web, String username, String password, AtomicLong retries) {
    return dialect.signIn(web, port, username, password).recover(e -> {
      if (!(e instanceof Dialect.SignInBusy)) {
        return Future.failedFuture(e);
      }
      retries.incrementAndGet();
      return vertx.timer(1000).compose(v -> signIn(web, username, password, retries));
    });
  }

  /**
   * One sign-in and one socket to its snapshot, then closed, none of it counted: the server's
   * first request and upgrade load classes and fill pools, which no later one does.
   */
  void warmUp(String username, String password) throws Exception {
    WebClient web = WebClient.create(vertx);
    String cookie = signIn(web, username, password, new AtomicLong()).toCompletionStage().toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
    web.close();
    ScaleSocket socket = new ScaleSocket(this);
    socket.open(vertx, client(0), port, cookie).toCompletionStage().toCompletableFuture()
        .get(ScaleSocket.OPEN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    socket.close();
  }

  /** Opens {@code perUser.size()} users' sockets ({@code perUser[u]} each); figures of the time to snapshot. */
  Map<String, Object> open(List<String> cookies, int[] perUser) throws Exception {
    List<String> socketCookies = new ArrayList<>();
    for (int u = 0; u < perUser.length; u++) {
      for (int s = 0; s < perUser[u]; s++) {
        socketCookies.add(cookies.get(u));
      }
    }
    Histogram toSnapshot = DeliveryBook.histogram();
    long started = System.nanoTime();
    Map<String, Long> failures = inWindows(socketCookies.size(), OPENING_AT_ONCE, i -> {
      ScaleSocket socket = new ScaleSocket(this);
      synchronized (sockets) {
        sockets.add(socket);
      }
      return socket.open(vertx, client(i), port, socketCookies.get(i)).onSuccess(toSnapshot::recordValue).mapEmpty();
    });
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("sockets", socketCookies.size());
    figures.put("opened", toSnapshot.getTotalCount());
    figures.put("seconds", EdgeLoadBenchmark.round((System.nanoTime() - started) / 1e9));
    figures.put("msToSnapshot", DeliveryBook.summarize(toSnapshot));
    figures.put("failures", failures);
    return figures;
  }

  private synchronized WebSocketClient client(int socketIndex) {
    int address = socketIndex / SOCKETS_PER_ADDRESS;
    while (clients.size() <= address) {
      clients.add(vertx.createWebSocketClient(new WebSocketClientOptions()
          .setLocalAddress(sourceAddress(clients.size() * SOCKETS_PER_ADDRESS))
          .setMaxConnections(SOCKETS_PER_ADDRESS).setConnectTimeout((int) ScaleSocket.OPEN_TIMEOUT_MS)));
    }
    return clients.get(address);
  }

  /** Runs {@code task(0 .. count-1)}, {@code atOnce} in flight at a time; the failures counted by message. */
  private Map<String, Long> inWindows(int count, int atOnce, IntFunction<Future<Void>> task) throws Exception {
    Map<String, Long> failures = new TreeMap<>();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    CompletableFuture<Void> all = new CompletableFuture<>();
    Runnable[] launch = new Runnable[1];
    launch[0] = () -> {
      int i = next.getAndIncrement();
      if (i >= count) {
        return;
      }
      task.apply(i).onComplete(done -> {
        if (done.failed()) {
          synchronized (failures) {
            failures.merge(String.valueOf(done.cause().getMessage()), 1L, Long::sum);
          }
        }
        if (finished.incrementAndGet() == count) {
          all.complete(null);
        } else {
          launch[0].run();
        }
      });
    };
    if (count == 0) {
      return failures;
    }
    for (int k = 0; k < Math.min(atOnce, count); k++) {
      vertx.runOnContext(v -> launch[0].run());
    }
    all.get(30, TimeUnit.MINUTES);
    synchronized (failures) {
      return new TreeMap<>(failures);
    }
  }

  void closedByServer(int code) {
    serverCloses.computeIfAbsent(code, c -> new AtomicLong()).incrementAndGet();
  }

  /** Close codes of sockets the server ended after their snapshot, while the run went on. */
  Map<Integer, Long> serverCloses() {
    Map<Integer, Long> closes = new TreeMap<>();
    serverCloses.forEach((code, count) -> closes.put(code, count.get()));
    return closes;
  }

  void close() throws Exception {
    synchronized (sockets) {
      sockets.forEach(ScaleSocket::close);
    }
    Thread.sleep(2_000);
    for (WebSocketClient client : clients) {
      client.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
