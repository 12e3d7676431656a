package com.portfoliostream.simulator.stream;

import com.portfoliostream.simulator.market.MarketPoint;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;

/** Market-data points as md_trade.json, md_quote.json and md_bar_sdk_fixture.json: prices are JSON numbers. */
final class MarketDataJson {

  /** IEX, the exchange the free feed reports. */
  private static final String EXCHANGE = "V";
  private static final int QUOTE_SIZE = 1;

  private MarketDataJson() {}

  static JsonObject trade(MarketPoint p) {
    return new JsonObject().put("T", "t").put("i", p.tradeId()).put("S", p.symbol()).put("x", EXCHANGE)
        .put("p", p.price()).put("s", p.size()).put("t", p.at().toString())
        .put("c", new JsonArray().add("@")).put("z", tape(p.symbol()));
  }

  static JsonObject quote(MarketPoint p) {
    return new JsonObject().put("T", "q").put("S", p.symbol())
        .put("bx", EXCHANGE).put("bp", p.bid()).put("bs", QUOTE_SIZE)
        .put("ax", EXCHANGE).put("ap", p.ask()).put("as", QUOTE_SIZE)
        .put("t", p.at().toString()).put("c", new JsonArray().add("R")).put("z", tape(p.symbol()));
  }

  static JsonObject bar(String symbol, BigDecimal open, BigDecimal high, BigDecimal low, BigDecimal close,
      long volume, long trades, BigDecimal vwap, Instant start) {
    return new JsonObject().put("T", "b").put("S", symbol).put("o", open).put("h", high).put("l", low)
        .put("c", close).put("v", volume).put("t", start.toString()).put("n", trades).put("vw", vwap);
  }

  /** Tape C is Nasdaq-listed, B is NYSE Arca (SPY). */
  private static String tape(String symbol) {
    return symbol.equals("SPY") ? "B" : "C";
  }
}
