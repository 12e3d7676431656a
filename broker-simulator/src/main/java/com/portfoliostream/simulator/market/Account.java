package com.portfoliostream.simulator.market;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.nio.charset.StandardCharsets;

/**
 * One brokerage account behind one API key: cash, positions, orders and fills. Equity is cash plus
 * the signed market value of the positions (short market value is negative, as Alpaca reports
 * it); buying power is Reg T style: twice the equity less the gross market value, never below 0.
 */
public final class Account {

  static final BigDecimal MARGIN_MULTIPLIER = BigDecimal.valueOf(2);

  private final String keyId;
  private final String secret;
  private final String id;
  private final String accountNumber;
  private final Instant createdAt;
  private final Map<String, Position> positions = new TreeMap<>();
  private final Map<String, SimOrder> orders = new LinkedHashMap<>();
  private final Map<String, SimOrder> ordersByClientId = new HashMap<>();
  private final List<Fill> fills = new ArrayList<>();
  private BigDecimal cash;
  private BigDecimal lastEquity = BigDecimal.ZERO;
  /** Whether the key's market-data subscription includes the SIP feed (else {@code /v2/sip} is refused with 409). */
  private boolean sipSubscription = true;

  Account(String keyId, String secret, BigDecimal cash, Instant createdAt) {
    this.keyId = keyId;
    this.secret = secret;
    this.cash = cash;
    this.createdAt = createdAt;
    UUID uuid = UUID.nameUUIDFromBytes(keyId.getBytes(StandardCharsets.UTF_8));
    this.id = uuid.toString();
    this.accountNumber = "PA" + Long.toString(Math.abs(uuid.getMostSignificantBits() % 10_000_000_000L), 36)
        .toUpperCase();
  }

  public String keyId() { return keyId; }
  public String id() { return id; }
  public String accountNumber() { return accountNumber; }
  public Instant createdAt() { return createdAt; }
  public BigDecimal cash() { return cash; }
  public BigDecimal lastEquity() { return lastEquity; }

  public boolean sipSubscription() { return sipSubscription; }

  public void setSipSubscription(boolean sip) {
    this.sipSubscription = sip;
  }

  /** Whether the secret matches, in time independent of where they differ. */
  public boolean secretMatches(String candidate) {
    return candidate != null && java.security.MessageDigest.isEqual(
        secret.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
  }

  public Collection<Position> positions() {
    return Collections.unmodifiableCollection(positions.values());
  }

  public Optional<Position> position(String symbol) {
    return Optional.ofNullable(positions.get(symbol));
  }

  public BigDecimal positionQty(String symbol) {
    return position(symbol).map(Position::qty).orElse(BigDecimal.ZERO);
  }

  public Collection<SimOrder> orders() {
    return Collections.unmodifiableCollection(orders.values());
  }

  public Optional<SimOrder> order(String orderId) {
    return Optional.ofNullable(orders.get(orderId));
  }

  public Optional<SimOrder> orderByClientId(String clientOrderId) {
    return Optional.ofNullable(ordersByClientId.get(clientOrderId));
  }

  public List<Fill> fills() {
    return Collections.unmodifiableList(fills);
  }

  public BigDecimal longMarketValue(Map<String, BigDecimal> prices) {
    return positions.values().stream().filter(p -> !p.isShort())
        .map(p -> p.marketValue(prices.get(p.symbol()))).reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  /** Negative (or zero), as Alpaca reports it. */
  public BigDecimal shortMarketValue(Map<String, BigDecimal> prices) {
    return positions.values().stream().filter(Position::isShort)
        .map(p -> p.marketValue(prices.get(p.symbol()))).reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  public BigDecimal equity(Map<String, BigDecimal> prices) {
    return cash.add(longMarketValue(prices)).add(shortMarketValue(prices));
  }

  public BigDecimal grossMarketValue(Map<String, BigDecimal> prices) {
    return longMarketValue(prices).subtract(shortMarketValue(prices));
  }

  public BigDecimal buyingPower(Map<String, BigDecimal> prices) {
    return equity(prices).multiply(MARGIN_MULTIPLIER).subtract(grossMarketValue(prices)).max(BigDecimal.ZERO);
  }

  void addHolding(String symbol, BigDecimal signedQty, BigDecimal avgEntryPrice) {
    positions.put(symbol, new Position(symbol, signedQty, avgEntryPrice));
  }

  void addOrder(SimOrder order) {
    orders.put(order.id, order);
    ordersByClientId.put(order.clientOrderId, order);
  }

  void markDayStart(Map<String, BigDecimal> prices) {
    lastEquity = equity(prices);
  }

  /** Moves cash and the position by one execution of a signed quantity at a price. */
  void applyFill(String symbol, BigDecimal signedQty, BigDecimal price, Fill fill) {
    cash = cash.subtract(signedQty.multiply(price));
    Position position = positions.computeIfAbsent(symbol, s -> new Position(s, BigDecimal.ZERO, BigDecimal.ZERO));
    position.apply(signedQty, price);
    if (position.qty().signum() == 0) {
      positions.remove(symbol);
    }
    fills.add(fill);
  }
}
