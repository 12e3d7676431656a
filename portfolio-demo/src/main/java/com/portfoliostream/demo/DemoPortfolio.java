package com.portfoliostream.demo;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The demo, defined once: who signs in, what each trader holds, and the prices the market opens
 * at. The node seeds the database from it and the broker simulator opens its accounts from it, so
 * the two agree from the first login.
 */
public final class DemoPortfolio {

  public static final String DEFAULT_PASSWORD = "demo";

  /** A holding at the start of the demo; short positions have side "short" and a positive qty. */
  public record Holding(String symbol, BigDecimal qty, String side, BigDecimal avgEntryPrice) {}

  /** A broker account at the simulator, with the API key the ingest connects with. */
  public record BrokerAccount(String apiKeyId, String apiSecret, BigDecimal cash, List<Holding> holdings) {

    /** Long market value minus short market value, at the given prices. */
    public BigDecimal netMarketValue(Map<String, BigDecimal> prices) {
      BigDecimal total = BigDecimal.ZERO;
      for (Holding h : holdings) {
        BigDecimal value = h.qty().multiply(prices.get(h.symbol()));
        total = h.side().equals("short") ? total.subtract(value) : total.add(value);
      }
      return total;
    }

    /** Long plus short market value: what margin is held against. */
    public BigDecimal grossMarketValue(Map<String, BigDecimal> prices) {
      return holdings.stream().map(h -> h.qty().multiply(prices.get(h.symbol())))
          .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    public BigDecimal equity(Map<String, BigDecimal> prices) {
      return cash.add(netMarketValue(prices)).setScale(2, RoundingMode.HALF_EVEN);
    }

    /** Reg T style 2x margin: twice the equity less what the positions already use, never below 0. */
    public BigDecimal buyingPower(Map<String, BigDecimal> prices) {
      BigDecimal power = equity(prices).multiply(BigDecimal.valueOf(2)).subtract(grossMarketValue(prices));
      return power.max(BigDecimal.ZERO).setScale(2, RoundingMode.HALF_EVEN);
    }
  }

  /** A person who can sign in; traders have a broker account, the admin does not. */
  public record User(String username, String role, Optional<BrokerAccount> account) {}

  /** Prices the demo market opens at. */
  public static final Map<String, BigDecimal> OPENING_PRICES = Map.of(
      "AAPL", new BigDecimal("175.50"),
      "TSLA", new BigDecimal("248.20"),
      "NVDA", new BigDecimal("495.10"),
      "MSFT", new BigDecimal("415.30"),
      "AMZN", new BigDecimal("181.75"),
      "GOOGL", new BigDecimal("151.90"),
      "META", new BigDecimal("489.40"),
      "SPY", new BigDecimal("512.60"));

  public static final List<User> USERS = List.of(
      new User("alice", "trader", Optional.of(new BrokerAccount(
          "PKDEMOALICE00000001", "demo-secret-alice-3f9c1e7b2a", new BigDecimal("50000.00"),
          List.of(
              new Holding("AAPL", new BigDecimal("100"), "long", new BigDecimal("170.25")),
              new Holding("TSLA", new BigDecimal("50"), "long", new BigDecimal("245.75")),
              new Holding("NVDA", new BigDecimal("25"), "long", new BigDecimal("480.00")),
              new Holding("MSFT", new BigDecimal("30"), "long", new BigDecimal("402.10")))))),
      new User("bob", "trader", Optional.of(new BrokerAccount(
          "PKDEMOBOB0000000002", "demo-secret-bob-8d4a6c0f51", new BigDecimal("75000.00"),
          List.of(
              new Holding("MSFT", new BigDecimal("40"), "long", new BigDecimal("410.10")),
              new Holding("AMZN", new BigDecimal("60"), "long", new BigDecimal("178.40")),
              new Holding("GOOGL", new BigDecimal("80"), "long", new BigDecimal("152.30")),
              new Holding("TSLA", new BigDecimal("20"), "short", new BigDecimal("260.00")))))),
      new User("admin", "admin", Optional.empty()));

  private DemoPortfolio() {}

  public static Optional<BrokerAccount> accountByKey(String apiKeyId) {
    return USERS.stream().flatMap(u -> u.account().stream())
        .filter(a -> a.apiKeyId().equals(apiKeyId)).findFirst();
  }
}
