package com.portfoliostream.events.model;

import com.portfoliostream.events.protocol.EventPayload;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * Balances of the user's broker account. Day P&amp;L is equity minus the previous close's equity
 * ({@code lastEquity}); {@code timestamp} is when the broker figures were true.
 */
public record Account(
    BigDecimal equity,
    BigDecimal buyingPower,
    BigDecimal cash,
    BigDecimal portfolioValue,
    BigDecimal dayPnl,
    BigDecimal dayPnlPercent,
    BigDecimal lastEquity,
    Instant timestamp,
    Long version)
    implements EventPayload, Versioned {}
