package com.portfoliostream.simulator.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.portfoliostream.demo.DemoPortfolio;
import com.portfoliostream.simulator.alpaca.AlpacaError;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The simulated market's accounts")
class MarketTest {

  private final List<JsonObject> updates = new ArrayList<>();
  private Market market;
  private Account account;

  @BeforeEach
  void open() {
    market = new Market(Clock.systemUTC(), (delay, action) -> action.run(), recorder(),
        new PriceWalk(1, BigDecimal.ONE), () -> true, new BigDecimal("1000000"), 0);
    market.setPrice("AAPL", dec("100"));
    market.setPrice("TSLA", dec("200"));
    account = market.addAccount("PKMARKET", "secret", dec("10000"), List.of());
  }

  @Test
  @DisplayName("keep equity = cash + long value - short value through buys, sells, a short and a flip")
  void accountArithmetic() {
    buy("AAPL", "10");
    assertBooks("9000", "1000", "0", "10000");
    market.setPrice("AAPL", dec("110"));
    assertBooks("9000", "1100", "0", "10100");

    sell("AAPL", "4");
    assertBooks("9440", "660", "0", "10100");
    assertThat(account.position("AAPL").orElseThrow().avgEntryPrice()).isEqualByComparingTo("100");

    sell("TSLA", "5");
    assertBooks("10440", "660", "-1000", "10100");
    market.setPrice("TSLA", dec("190"));
    assertBooks("10440", "660", "-950", "10150");

    sell("AAPL", "10");
    assertThat(account.positionQty("AAPL")).isEqualByComparingTo("-4");
    assertThat(account.position("AAPL").orElseThrow().avgEntryPrice()).isEqualByComparingTo("110");
    assertBooks("11540", "0", "-1390", "10150");

    buy("AAPL", "4");
    buy("TSLA", "5");
    assertThat(account.positions()).isEmpty();
    assertBooks("10150", "0", "0", "10150");
  }

  @Test
  @DisplayName("average the entry price up on buys and keep it on partial sells")
  void averageEntryPrice() {
    buy("AAPL", "10");
    market.setPrice("AAPL", dec("130"));
    buy("AAPL", "20");
    sell("AAPL", "15");

    assertThat(account.position("AAPL").orElseThrow().avgEntryPrice()).isEqualByComparingTo("120");
    assertThat(account.positionQty("AAPL")).isEqualByComparingTo("15");
  }

  @Test
  @DisplayName("report position_qty after each fill and buying power as twice equity less gross exposure")
  void positionQtyAndBuyingPower() {
    buy("AAPL", "30");
    sell("AAPL", "50");

    List<String> positionQtys = updates.stream().filter(u -> u.getString("event").equals("fill"))
        .map(u -> u.getString("position_qty")).toList();
    assertThat(positionQtys).containsExactly("30", "-20");
    // equity 10000, gross exposure 20 x 100 = 2000
    assertThat(account.buyingPower(market.prices())).isEqualByComparingTo("18000");
  }

  @Test
  @DisplayName("refuse an order that adds more exposure than the buying power, but not one that closes")
  void buyingPowerCheck() {
    buy("AAPL", "150");

    assertThatThrownBy(() -> buy("TSLA", "30")).isInstanceOfSatisfying(AlpacaError.AlpacaException.class,
        e -> assertThat(e.error()).isEqualTo(AlpacaError.INSUFFICIENT_BUYING_POWER));
    sell("AAPL", "150");
    assertThat(account.positions()).isEmpty();
  }

  @Test
  @DisplayName("fill an ioc order up to the liquidity of the moment and cancel the rest; cancel a fok order that does not fit")
  void immediateOrders() {
    market = new Market(Clock.systemUTC(), (delay, action) -> action.run(), recorder(), new PriceWalk(1, BigDecimal.ONE),
        () -> true, new BigDecimal("10"), 0);
    market.setPrice("AAPL", dec("100"));
    account = market.addAccount("PKIMMEDIATE", "secret", dec("100000"), List.of());

    SimOrder ioc = market.submit(account, order("AAPL", "25", "buy", "ioc"));
    SimOrder fokTooBig = market.submit(account, order("AAPL", "25", "buy", "fok"));
    SimOrder fok = market.submit(account, order("AAPL", "5", "buy", "fok"));

    assertThat(ioc.status()).isEqualTo(OrderStatus.CANCELED);
    assertThat(ioc.filledQty()).isEqualByComparingTo("10");
    assertThat(fokTooBig.status()).isEqualTo(OrderStatus.CANCELED);
    assertThat(fokTooBig.filledQty()).isEqualByComparingTo("0");
    assertThat(fok.status()).isEqualTo(OrderStatus.FILLED);
    assertThat(account.positionQty("AAPL")).isEqualByComparingTo("15");
  }

  @Test
  @DisplayName("start the day's last_equity at the opening equity and move it at the close")
  void lastEquity() {
    buy("AAPL", "10");
    market.setPrice("AAPL", dec("120"));
    assertThat(account.lastEquity()).isEqualByComparingTo("10000");

    market.closeDay();

    assertThat(account.lastEquity()).isEqualByComparingTo("10200");
    assertThat(market.lastdayPrice("AAPL")).isEqualByComparingTo("120");
  }

  @Test
  @DisplayName("open the demo accounts from DemoPortfolio with its equity")
  void demo() {
    market.openDemo();
    DemoPortfolio.BrokerAccount bob = DemoPortfolio.accountByKey("PKDEMOBOB0000000002").orElseThrow();
    Account simulated = market.account(bob.apiKeyId()).orElseThrow();

    assertThat(simulated.equity(market.prices())).isEqualByComparingTo(bob.equity(DemoPortfolio.OPENING_PRICES));
    assertThat(simulated.buyingPower(market.prices()))
        .isEqualByComparingTo(bob.buyingPower(DemoPortfolio.OPENING_PRICES));
    assertThat(simulated.positionQty("TSLA")).isEqualByComparingTo("-20");
  }

  /** Records every trade update; price points are not watched here. */
  private MarketListener recorder() {
    return new MarketListener() {
      @Override
      public void tradeUpdate(String keyId, JsonObject message) {
        updates.add(message.getJsonObject("data"));
      }

      @Override
      public void prices(List<MarketPoint> points) {
        // not watched here
      }
    };
  }

  private void buy(String symbol, String qty) {
    market.submit(account, order(symbol, qty, "buy", "day"));
  }

  private void sell(String symbol, String qty) {
    market.submit(account, order(symbol, qty, "sell", "day"));
  }

  private static OrderRequest order(String symbol, String qty, String side, String timeInForce) {
    return OrderRequest.parse(new JsonObject().put("symbol", symbol).put("qty", qty).put("side", side)
        .put("type", "market").put("time_in_force", timeInForce));
  }

  private void assertBooks(String cash, String longValue, String shortValue, String equity) {
    assertThat(account.cash()).as("cash").isEqualByComparingTo(cash);
    assertThat(account.longMarketValue(market.prices())).as("long market value").isEqualByComparingTo(longValue);
    assertThat(account.shortMarketValue(market.prices())).as("short market value").isEqualByComparingTo(shortValue);
    assertThat(account.equity(market.prices())).as("equity").isEqualByComparingTo(equity);
    assertThat(account.equity(market.prices())).isEqualByComparingTo(
        account.cash().add(account.longMarketValue(market.prices())).add(account.shortMarketValue(market.prices())));
  }

  private static BigDecimal dec(String value) {
    return new BigDecimal(value);
  }
}
