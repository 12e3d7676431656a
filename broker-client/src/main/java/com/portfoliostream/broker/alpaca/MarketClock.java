package com.portfoliostream.broker.alpaca;

import java.time.Instant;

/** {@code GET /v2/clock}: whether the market is open now, and when it next opens and closes. */
public record MarketClock(Instant timestamp, boolean isOpen, Instant nextOpen, Instant nextClose) {}
