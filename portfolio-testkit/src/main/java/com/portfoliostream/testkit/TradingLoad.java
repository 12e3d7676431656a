package com.portfoliostream.testkit;

import com.portfoliostream.demo.DemoPortfolio;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Traders placing orders through an edge's REST API as a browser does (a signed-in session, the
 * CSRF token echoed), so that fills keep flowing at the broker: per user, every interval, a market
 * order (three in four) or a limit order a tenth of a percent from the price, buying and selling
 * each symbol in turn, a few shares each; a limit order still open after three seconds is
 * canceled. Meanwhile the prices of the traded symbols take a random walk through the simulator's
 * control API (its own market ticks are off, so prices stand still once the load stops).
 */
public final class TradingLoad implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TradingLoad.class);
  public static final List<String> SYMBOLS = List.of("AAPL", "MSFT", "AMZN", "SPY");
  private static final long CANCEL_AFTER_MS = 3_000;
  private static final long PRICE_STEP_MS = 1_000;
  private static final BigDecimal STEP = new BigDecimal("0.002");

  private final ScheduledExecutorService threads;
  private final SimulatorControl broker;
  private final Map<String, BigDecimal> prices = new ConcurrentHashMap<>(DemoPortfolio.OPENING_PRICES);
  private final Random random = new Random(18);
  private final AtomicInteger placed = new AtomicInteger();
  private final AtomicInteger cancels = new AtomicInteger();
  private final Map<Integer, Integer> refusals = new ConcurrentHashMap<>();

  private TradingLoad(int users, SimulatorControl broker) {
    this.threads = Executors.newScheduledThreadPool(users + 1);
    this.broker = broker;
  }

  /** Signs each user in on the edge at {@code edgePort} and starts trading, one order per user every {@code intervalMs}. */
  public static TradingLoad start(Vertx vertx, int edgePort, List<String> users, String password,
      SimulatorControl broker, long intervalMs) throws Exception {
    TradingLoad load = new TradingLoad(users.size(), broker);
    for (String user : users) {
      TestClient client = new TestClient(vertx, edgePort);
      HttpResponse<Buffer> login = client.login(user, password);
      if (login.statusCode() != 200) {
        throw new IllegalStateException("sign-in of " + user + " answered " + login.statusCode());
      }
      Trader trader = load.new Trader(client);
      load.threads.scheduleWithFixedDelay(() -> load.guarded(trader::step), 0, intervalMs, TimeUnit.MILLISECONDS);
    }
    load.threads.scheduleWithFixedDelay(() -> load.guarded(load::movePrices), PRICE_STEP_MS, PRICE_STEP_MS,
        TimeUnit.MILLISECONDS);
    return load;
  }

  /** Orders accepted (202). */
  public int placed() {
    return placed.get();
  }

  /** Cancels asked for (202 or 409 when the order was final already). */
  public int cancels() {
    return cancels.get();
  }

  /** Answers other than 202 to {@code POST /api/orders}, by status. */
  public Map<Integer, Integer> refusals() {
    return new TreeMap<>(refusals);
  }

  /** Stops placing orders and moving prices; waits for the step under way to finish. */
  @Override
  public void close() throws InterruptedException {
    threads.shutdown();
    if (!threads.awaitTermination(60, TimeUnit.SECONDS)) {
      threads.shutdownNow();
    }
  }

  /** A failed step is logged and the next one goes on: the load must outlive a refused request. */
  private void guarded(Step step) {
    try {
      step.run();
    } catch (Exception e) {
      LOG.warn("Trading load step failed: {}", e.toString());
    }
  }

  @FunctionalInterface
  private interface Step {
    void run() throws Exception;
  }

  private void movePrices() throws Exception {
    for (String symbol : SYMBOLS) {
      BigDecimal move;
      synchronized (random) {
        move = BigDecimal.ONE.add(STEP.multiply(BigDecimal.valueOf(random.nextDouble() * 2 - 1)));
      }
      BigDecimal next = prices.get(symbol).multiply(move).setScale(2, RoundingMode.HALF_EVEN);
      broker.setPrice(symbol, next);
      prices.put(symbol, next);
    }
  }

  private record OpenLimit(String orderId, long placedNanos) {}

  /** One user's session and what it has open. */
  private final class Trader {

    private final TestClient client;
    private final Map<String, Boolean> buyNext = new HashMap<>();
    private final Deque<OpenLimit> openLimits = new ArrayDeque<>();

    Trader(TestClient client) {
      this.client = client;
    }

    void step() throws Exception {
      cancelStaleLimit();
      int draw;
      String symbol;
      int qty;
      synchronized (random) {
        draw = random.nextInt(4);
        symbol = SYMBOLS.get(random.nextInt(SYMBOLS.size()));
        qty = 1 + random.nextInt(12);
      }
      boolean buy = buyNext.merge(symbol, true, (was, ignored) -> !was);
      JsonObject order = new JsonObject().put("symbol", symbol).put("side", buy ? "buy" : "sell")
          .put("qty", Integer.toString(qty)).put("timeInForce", "day");
      if (draw == 0) {
        BigDecimal offset = BigDecimal.ONE.add(new BigDecimal(buy ? "-0.001" : "0.001"));
        order.put("type", "limit").put("limitPrice",
            prices.get(symbol).multiply(offset).setScale(2, RoundingMode.HALF_EVEN).toPlainString());
      } else {
        order.put("type", "market");
      }
      HttpResponse<Buffer> answer = client.post("/api/orders", order);
      if (answer.statusCode() != 202) {
        refusals.merge(answer.statusCode(), 1, Integer::sum);
        return;
      }
      placed.incrementAndGet();
      if (draw == 0) {
        openLimits.add(new OpenLimit(answer.bodyAsJsonObject().getString("orderId"), System.nanoTime()));
      }
    }

    private void cancelStaleLimit() throws Exception {
      OpenLimit oldest = openLimits.peek();
      if (oldest == null || System.nanoTime() - oldest.placedNanos() < TimeUnit.MILLISECONDS.toNanos(CANCEL_AFTER_MS)) {
        return;
      }
      openLimits.poll();
      client.send(HttpMethod.DELETE, "/api/orders/" + oldest.orderId(), null,
          Map.of("X-XSRF-TOKEN", String.valueOf(client.cookie("XSRF-TOKEN"))));
      cancels.incrementAndGet();
    }
  }
}
