package com.portfoliostream.simulator.market;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/** One order at the simulated broker, changed only by {@link Market} on the simulator's context. */
public final class SimOrder {

  private static final int PRICE_SCALE = 9;

  final String id;
  final String clientOrderId;
  final String keyId;
  final OrderRequest request;
  final Instant createdAt;
  /** The quantity to fill: the requested qty, or notional / price when accepted. */
  BigDecimal targetQty;
  BigDecimal limitPrice;
  BigDecimal stopPrice;
  String timeInForce;
  OrderStatus status = OrderStatus.ACCEPTED;
  BigDecimal filledQty = BigDecimal.ZERO;
  BigDecimal filledNotional = BigDecimal.ZERO;
  Instant updatedAt;
  Instant filledAt;
  Instant canceledAt;
  Instant expiredAt;
  Instant failedAt;
  Instant replacedAt;
  Instant cancelRequestedAt;
  String replacedBy;
  String replaces;
  boolean triggered;
  /** A partial fill happened and the next piece waits for its timer: price ticks leave the order alone. */
  boolean nextPieceScheduled;

  SimOrder(String id, String clientOrderId, String keyId, OrderRequest request, BigDecimal targetQty, Instant now) {
    this.id = id;
    this.clientOrderId = clientOrderId;
    this.keyId = keyId;
    this.request = request;
    this.targetQty = targetQty;
    this.limitPrice = request.limitPrice();
    this.stopPrice = request.stopPrice();
    this.timeInForce = request.timeInForce();
    this.createdAt = now;
    this.updatedAt = now;
  }

  public String id() { return id; }
  public String clientOrderId() { return clientOrderId; }
  public String symbol() { return request.symbol(); }
  public String side() { return request.side(); }
  public String type() { return request.type(); }
  public String timeInForce() { return timeInForce; }
  /** Null for a notional order, as Alpaca reports it. */
  public BigDecimal qty() { return request.notional() == null ? targetQty : null; }
  public BigDecimal notional() { return request.notional(); }
  public BigDecimal limitPrice() { return limitPrice; }
  public BigDecimal stopPrice() { return stopPrice; }
  public OrderStatus status() { return status; }
  public BigDecimal filledQty() { return filledQty; }
  public boolean extendedHours() { return request.extendedHours(); }
  public Instant createdAt() { return createdAt; }
  public Instant updatedAt() { return updatedAt; }
  public Instant filledAt() { return filledAt; }
  public Instant canceledAt() { return canceledAt; }
  public Instant expiredAt() { return expiredAt; }
  public Instant failedAt() { return failedAt; }
  public Instant replacedAt() { return replacedAt; }
  public Instant cancelRequestedAt() { return cancelRequestedAt; }
  public String replacedBy() { return replacedBy; }
  public String replaces() { return replaces; }

  public BigDecimal filledAvgPrice() {
    return filledQty.signum() == 0 ? null
        : filledNotional.divide(filledQty, PRICE_SCALE, RoundingMode.HALF_EVEN).stripTrailingZeros();
  }

  public BigDecimal leavesQty() {
    return status.isTerminal() ? BigDecimal.ZERO : targetQty.subtract(filledQty);
  }

  /** +1 for buys, -1 for sells. */
  int direction() {
    return side().equals("buy") ? 1 : -1;
  }
}
