package com.portfoliostream.simulator.market;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** Where the market's live output goes: the trading streams and the market-data streams. */
public interface MarketListener {

  /** One whole {@code trade_updates} message for the account of {@code keyId}. */
  void tradeUpdate(String keyId, JsonObject message);

  /** The trades of one price change, several symbols at once after a tick. */
  void prices(List<MarketPoint> points);
}
