package com.portfoliostream.broker.alpaca;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The fields of an Alpaca order this service uses (the REST order object, also nested in every
 * trade update). Quantities and prices are decimal strings on Alpaca's wire and stay exact here.
 */
public record AlpacaOrder(
    String id,
    String clientOrderId,
    String symbol,
    String side,
    String type,
    String timeInForce,
    String status,
    BigDecimal qty,
    BigDecimal filledQty,
    BigDecimal filledAvgPrice,
    BigDecimal limitPrice,
    BigDecimal stopPrice,
    Instant submittedAt,
    Instant filledAt,
    Instant canceledAt,
    Instant updatedAt) {}
