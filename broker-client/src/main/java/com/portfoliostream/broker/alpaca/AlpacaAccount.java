package com.portfoliostream.broker.alpaca;

import java.math.BigDecimal;

/** The fields of Alpaca's {@code GET /v2/account} this service keeps, exact as Alpaca sends them. */
public record AlpacaAccount(
    String id,
    String accountNumber,
    String status,
    String currency,
    BigDecimal cash,
    BigDecimal equity,
    BigDecimal lastEquity,
    BigDecimal buyingPower,
    BigDecimal portfolioValue,
    BigDecimal longMarketValue,
    BigDecimal shortMarketValue) {}
