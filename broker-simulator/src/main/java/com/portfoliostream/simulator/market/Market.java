package com.portfoliostream.simulator.market;

import com.portfoliostream.demo.DemoPortfolio;
import com.portfoliostream.simulator.alpaca.AlpacaError;
import com.portfoliostream.simulator.alpaca.AlpacaJson;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * The simulated broker's state: prices, accounts, orders. Not thread-safe: the simulator verticle
 * calls it only on its own context. Orders are accepted synchronously and worked asynchronously
 * (through {@link Timers}), so a REST answer never waits for a fill, as at a real broker.
 */
public final class Market {

  /** Runs work later on the simulator's context; 0 means as soon as possible. */
  public interface Timers {
    void after(long delayMs, Runnable action);
  }

  private static final int TRADE_SIZE = 100;
  private static final int NOTIONAL_QTY_SCALE = 9;

  private final Clock clock;
  private final Timers timers;
  private final MarketListener listener;
  private final PriceWalk walk;
  private final BooleanSupplier marketOpen;
  private final Execution execution;
  private final SortedMap<String, BigDecimal> prices = new TreeMap<>();
  private final Map<String, BigDecimal> lastdayPrices = new TreeMap<>();
  private final Map<String, Account> accounts = new LinkedHashMap<>();
  /** Orders that may still fill or expire, so a tick never walks the order history. */
  private final Set<SimOrder> working = new LinkedHashSet<>();
  private long tradeId;

  public Market(Clock clock, Timers timers, MarketListener listener, PriceWalk walk, BooleanSupplier marketOpen,
      BigDecimal partialFillQty, long partialFillDelayMs) {
    this.clock = clock;
    this.timers = timers;
    this.listener = listener;
    this.walk = walk;
    this.marketOpen = marketOpen;
    this.execution = new Execution(this, partialFillQty, partialFillDelayMs);
  }

  /** The demo's prices and accounts (DemoPortfolio), so the demo traders trade here from the start. */
  public void openDemo() {
    prices.putAll(DemoPortfolio.OPENING_PRICES);
    lastdayPrices.putAll(DemoPortfolio.OPENING_PRICES);
    DemoPortfolio.USERS.forEach(user -> user.account().ifPresent(a ->
        addAccount(a.apiKeyId(), a.apiSecret(), a.cash(), a.holdings())));
  }

  /**
   * Opens the account of a key, or resets it (its old orders stop working). Holdings at symbols
   * without a price open the market there at their entry price.
   */
  public Account addAccount(String keyId, String secret, BigDecimal cash, List<DemoPortfolio.Holding> holdings) {
    Account account = new Account(keyId, secret, cash, now());
    for (DemoPortfolio.Holding h : holdings) {
      prices.putIfAbsent(h.symbol(), h.avgEntryPrice());
      lastdayPrices.putIfAbsent(h.symbol(), prices.get(h.symbol()));
      account.addHolding(h.symbol(), h.side().equals("short") ? h.qty().negate() : h.qty(), h.avgEntryPrice());
    }
    account.markDayStart(prices);
    working.removeIf(o -> o.keyId.equals(keyId));
    accounts.put(keyId, account);
    return account;
  }

  public Optional<Account> account(String keyId) {
    return Optional.ofNullable(accounts.get(keyId));
  }

  public Map<String, BigDecimal> prices() {
    return Collections.unmodifiableMap(prices);
  }

  public BigDecimal lastdayPrice(String symbol) {
    return lastdayPrices.getOrDefault(symbol, prices.get(symbol));
  }

  public SimOrder submit(Account account, OrderRequest request) {
    BigDecimal price = prices.get(request.symbol());
    if (price == null) {
      throw AlpacaError.invalid("asset \"" + request.symbol() + "\" not found").exception();
    }
    String clientOrderId = request.clientOrderId() != null ? request.clientOrderId() : UUID.randomUUID().toString();
    if (account.orderByClientId(clientOrderId).isPresent()) {
      throw AlpacaError.DUPLICATE_CLIENT_ORDER_ID.exception();
    }
    BigDecimal qty = request.qty() != null ? request.qty()
        : request.notional().divide(price, NOTIONAL_QTY_SCALE, RoundingMode.DOWN);
    BigDecimal estimate = request.limitPrice() != null ? request.limitPrice()
        : request.stopPrice() != null ? request.stopPrice() : price;
    if (!execution.affordable(account, request.symbol(), request.side(), qty, estimate)) {
      throw AlpacaError.INSUFFICIENT_BUYING_POWER.exception();
    }
    SimOrder order = new SimOrder(UUID.randomUUID().toString(), clientOrderId, account.keyId(), request, qty, now());
    account.addOrder(order);
    working.add(order);
    timers.after(0, () -> route(order));
    return order;
  }

  /** Asks for a cancel: {@code pending_cancel} now, {@code canceled} right after. */
  public SimOrder cancel(Account account, String orderId) {
    SimOrder order = account.order(orderId).orElseThrow(AlpacaError.ORDER_NOT_FOUND::exception);
    if (order.status.isTerminal() || order.status == OrderStatus.PENDING_CANCEL) {
      emit(order, TradeEvent.ORDER_CANCEL_REJECTED, null);
      throw AlpacaError.notCancelable(order.status.wire()).exception();
    }
    order.cancelRequestedAt = now();
    change(order, OrderStatus.PENDING_CANCEL, TradeEvent.PENDING_CANCEL);
    timers.after(0, () -> cancelNow(order));
    return order;
  }

  public List<SimOrder> cancelAll(Account account) {
    List<SimOrder> canceled = new ArrayList<>();
    for (SimOrder order : List.copyOf(account.orders())) {
      if (!order.status.isTerminal() && order.status != OrderStatus.PENDING_CANCEL) {
        canceled.add(cancel(account, order.id));
      }
    }
    return canceled;
  }

  /**
   * {@code PATCH /v2/orders/{id}}: a new order replaces an unfilled open one; the old one says
   * {@code pending_replace}, then {@code replaced}. A refused replace says {@code order_replace_rejected}.
   */
  public SimOrder replace(Account account, String orderId, JsonObject patch) {
    SimOrder old = account.order(orderId).orElseThrow(AlpacaError.ORDER_NOT_FOUND::exception);
    if (old.status.isTerminal() || old.status == OrderStatus.PENDING_CANCEL
        || old.status == OrderStatus.PENDING_REPLACE || old.filledQty.signum() > 0) {
      emit(old, TradeEvent.ORDER_REPLACE_REJECTED, null);
      throw AlpacaError.notCancelable(old.status.wire()).exception();
    }
    OrderRequest request = OrderRequest.parse(replacement(old, patch));
    OrderStatus before = old.status;
    change(old, OrderStatus.PENDING_REPLACE, TradeEvent.PENDING_REPLACE);
    SimOrder order;
    try {
      order = submit(account, request);
    } catch (AlpacaError.AlpacaException refused) {
      old.status = before;
      emit(old, TradeEvent.ORDER_REPLACE_REJECTED, null);
      throw refused;
    }
    order.replaces = old.id;
    old.replacedAt = now();
    old.replacedBy = order.id;
    change(old, OrderStatus.REPLACED, TradeEvent.REPLACED);
    return order;
  }

  /**
   * Sends an exchange event the simulated market has no cause for ({@code stopped},
   * {@code suspended}, {@code calculated}) for an open order, which takes that status: for clients
   * that must handle every event Alpaca documents. A stopped or suspended order no longer fills here.
   */
  public SimOrder exchangeEvent(Account account, String orderId, TradeEvent event) {
    SimOrder order = account.order(orderId).orElseThrow(AlpacaError.ORDER_NOT_FOUND::exception);
    if (!event.isExchangeEvent()) {
      throw AlpacaError.invalid("event must be stopped, suspended or calculated").exception();
    }
    if (order.status.isTerminal()) {
      throw AlpacaError.notCancelable(order.status.wire()).exception();
    }
    change(order, OrderStatus.valueOf(event.name()), event);
    return order;
  }

  public void setPrice(String symbol, BigDecimal price) {
    setPrices(Map.of(symbol, price));
  }

  /** One step of the random walk for every symbol. */
  public void tick() {
    setPrices(walk.next(prices));
  }

  /**
   * Ends the simulated trading day: open day orders expire (partly filled ones say
   * {@code done_for_day} first), and today's prices and equity become the next day's reference.
   */
  public void closeDay() {
    for (SimOrder order : workingOrders()) {
      if (order.timeInForce.equals("day")) {
        if (order.filledQty.signum() > 0) {
          change(order, OrderStatus.DONE_FOR_DAY, TradeEvent.DONE_FOR_DAY);
        }
        order.expiredAt = now();
        change(order, OrderStatus.EXPIRED, TradeEvent.EXPIRED);
      }
    }
    lastdayPrices.putAll(prices);
    accounts.values().forEach(a -> a.markDayStart(prices));
  }

  /** Works every open order again, e.g. when the market opens. */
  public void workOpenOrders() {
    workingOrders().forEach(execution::work);
  }

  private void setPrices(Map<String, BigDecimal> changes) {
    Instant at = now();
    List<MarketPoint> points = new ArrayList<>();
    changes.forEach((symbol, price) -> {
      prices.put(symbol, price);
      lastdayPrices.putIfAbsent(symbol, price);
      points.add(new MarketPoint(++tradeId, symbol, price, TRADE_SIZE, at));
    });
    listener.prices(points);
    for (SimOrder order : workingOrders()) {
      if (changes.containsKey(order.symbol())) {
        execution.work(order);
      }
    }
  }

  /** A copy of the orders still working; finished ones leave the set here. */
  private List<SimOrder> workingOrders() {
    working.removeIf(o -> o.status.isTerminal());
    return List.copyOf(working);
  }

  private void route(SimOrder order) {
    if (order.status != OrderStatus.ACCEPTED || !isWorking(order)) {
      return;
    }
    change(order, OrderStatus.PENDING_NEW, TradeEvent.PENDING_NEW);
    change(order, OrderStatus.NEW, TradeEvent.NEW);
    execution.work(order);
  }

  void cancelNow(SimOrder order) {
    if (!order.status.isTerminal()) {
      order.canceledAt = now();
      change(order, OrderStatus.CANCELED, TradeEvent.CANCELED);
    }
  }

  void reject(SimOrder order) {
    order.failedAt = now();
    change(order, OrderStatus.REJECTED, TradeEvent.REJECTED);
  }

  void change(SimOrder order, OrderStatus status, TradeEvent event) {
    order.status = status;
    order.updatedAt = now();
    emit(order, event, null);
  }

  void emit(SimOrder order, TradeEvent event, Fill fill) {
    Account account = accounts.get(order.keyId);
    BigDecimal positionQty = account == null ? BigDecimal.ZERO : account.positionQty(order.symbol());
    listener.tradeUpdate(order.keyId, AlpacaJson.tradeUpdate(event, order, fill, positionQty, order.updatedAt));
  }

  /** False for finished orders and for orders of an account that was reset since. */
  boolean isWorking(SimOrder order) {
    return working.contains(order);
  }

  Account accountOf(SimOrder order) {
    return accounts.get(order.keyId);
  }

  BigDecimal price(String symbol) {
    return prices.get(symbol);
  }

  boolean isOpen() {
    return marketOpen.getAsBoolean();
  }

  Timers timers() {
    return timers;
  }

  Instant now() {
    return clock.instant();
  }

  private static JsonObject replacement(SimOrder old, JsonObject patch) {
    JsonObject body = new JsonObject().put("symbol", old.symbol()).put("side", old.side()).put("type", old.type())
        .put("qty", AlpacaJson.decimal(old.targetQty)).put("time_in_force", old.timeInForce)
        .put("limit_price", AlpacaJson.decimal(old.limitPrice)).put("stop_price", AlpacaJson.decimal(old.stopPrice))
        .put("extended_hours", old.extendedHours());
    for (String field : List.of("qty", "time_in_force", "limit_price", "stop_price", "client_order_id")) {
      if (patch.getValue(field) != null) {
        body.put(field, patch.getValue(field));
      }
    }
    return body;
  }
}
