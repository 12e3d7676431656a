package com.portfoliostream.broker.alpaca;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** One element of a frame of the Alpaca market-data stream ({@code /v2/{feed}}). */
public sealed interface MarketDataMessage {

  /** {@code connected}, {@code authenticated}. */
  record Success(String msg) implements MarketDataMessage {}

  /** 400-409 and 500 as Alpaca documents them (406: a second connection for the same key). */
  record Error(int code, String msg) implements MarketDataMessage {}

  /** The whole subscription after a subscribe or unsubscribe. */
  record Subscription(List<String> trades, List<String> quotes, List<String> bars) implements MarketDataMessage {}

  /** {@code T: t}. */
  record TradeTick(String symbol, BigDecimal price, BigDecimal size, Instant time) implements MarketDataMessage {}

  /** {@code T: q}. */
  record Quote(String symbol, BigDecimal bidPrice, BigDecimal bidSize, BigDecimal askPrice, BigDecimal askSize,
      Instant time) implements MarketDataMessage {}

  /** {@code T: b} (minute), {@code d} (daily), {@code u} (updated). */
  record Bar(String kind, String symbol, BigDecimal open, BigDecimal high, BigDecimal low, BigDecimal close,
      BigDecimal volume, Instant time) implements MarketDataMessage {}

  /** {@code T: s}: a trading status change such as a halt. */
  record TradingStatus(String symbol, String statusCode, String statusMessage, String reasonCode,
      String reasonMessage, Instant time) implements MarketDataMessage {}
}
