package com.portfoliostream.simulator.stream;

import com.portfoliostream.simulator.market.MarketPoint;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Open, high, low, close, volume and VWAP per symbol since the last bar; bounded by the number of symbols. */
final class MinuteBars {

  private final Map<String, Bar> open = new TreeMap<>();

  private static final class Bar {
    final Instant start;
    final BigDecimal first;
    BigDecimal high;
    BigDecimal low;
    BigDecimal last;
    long volume;
    long trades;
    BigDecimal notional = BigDecimal.ZERO;

    Bar(MarketPoint p) {
      start = p.at();
      first = p.price();
      high = p.price();
      low = p.price();
    }
  }

  void add(MarketPoint p) {
    Bar bar = open.computeIfAbsent(p.symbol(), s -> new Bar(p));
    bar.high = bar.high.max(p.price());
    bar.low = bar.low.min(p.price());
    bar.last = p.price();
    bar.volume += p.size();
    bar.trades++;
    bar.notional = bar.notional.add(p.price().multiply(BigDecimal.valueOf(p.size())));
  }

  /** The bars since the last call, and a fresh start. */
  List<JsonObject> drain() {
    List<JsonObject> bars = new ArrayList<>();
    open.forEach((symbol, b) -> bars.add(MarketDataJson.bar(symbol, b.first, b.high, b.low, b.last, b.volume,
        b.trades, b.notional.divide(BigDecimal.valueOf(b.volume), 6, RoundingMode.HALF_EVEN), b.start)));
    open.clear();
    return bars;
  }
}
