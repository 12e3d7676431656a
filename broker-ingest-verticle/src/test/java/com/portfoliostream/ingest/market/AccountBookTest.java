package com.portfoliostream.ingest.market;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.events.model.Account;
import com.portfoliostream.events.model.Position;
import com.portfoliostream.events.model.PositionSide;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Position sync's arithmetic of a price")
class AccountBookTest {

  private static final BigDecimal THRESHOLD = new BigDecimal("0.1");
  private static final Instant T = Instant.parse("2026-11-20T15:00:00Z");

  @Test
  @DisplayName("a long revalues market value, unrealized P&L and its percent exactly, keeping its version")
  void longPosition() {
    AccountBook book = book();

    Position p = book.reprice("AAPL", new BigDecimal("180.00"), T, THRESHOLD).orElseThrow();

    assertThat(p.marketValue()).isEqualTo(new BigDecimal("18000.00"));
    assertThat(p.unrealizedPnl()).isEqualTo(new BigDecimal("975.00")); // 100 × (180 − 170.25)
    assertThat(p.unrealizedPnlPercent()).isEqualTo(new BigDecimal("5.73")); // 975 / 17025
    assertThat(p.version()).isEqualTo(7L);
    assertThat(p.asOf()).isEqualTo(T);
  }

  @Test
  @DisplayName("a short gains when the price falls, and its market value is negative")
  void shortPosition() {
    AccountBook book = book();

    Position p = book.reprice("TSLA", new BigDecimal("250.00"), T, THRESHOLD).orElseThrow();

    assertThat(p.marketValue()).isEqualTo(new BigDecimal("-5000.00"));
    assertThat(p.unrealizedPnl()).isEqualTo(new BigDecimal("200.00")); // 20 × (260 − 250)
  }

  @Test
  @DisplayName("moves of 0.1 % or less are not published, but they add up until one is")
  void significance() {
    AccountBook book = book();
    book.reprice("AAPL", new BigDecimal("180.00"), T, THRESHOLD);

    assertThat(book.reprice("AAPL", new BigDecimal("180.10"), T.plusSeconds(1), THRESHOLD)).isEmpty();
    assertThat(book.reprice("AAPL", new BigDecimal("180.18"), T.plusSeconds(2), THRESHOLD)).isEmpty();
    assertThat(book.reprice("AAPL", new BigDecimal("180.20"), T.plusSeconds(3), THRESHOLD)).isPresent();
  }

  @Test
  @DisplayName("equity is cash plus long minus short market value; day P&L is equity minus last equity")
  void account() {
    AccountBook book = book();
    book.reprice("AAPL", new BigDecimal("180.00"), T, THRESHOLD);

    Account a = book.revalue(T, THRESHOLD).orElseThrow();

    // 10000 + 100 × 180 − 20 × 260 = 22800
    assertThat(a.equity()).isEqualTo(new BigDecimal("22800.00"));
    assertThat(a.dayPnl()).isEqualTo(new BigDecimal("800.00"));
    assertThat(a.dayPnlPercent()).isEqualTo(new BigDecimal("3.64"));
    assertThat(a.cash()).isEqualTo(new BigDecimal("10000.00"));
    assertThat(a.version()).isEqualTo(3L);
  }

  @Test
  @DisplayName("the account is not republished until equity moves past the threshold")
  void accountSignificance() {
    AccountBook book = book();
    book.reprice("AAPL", new BigDecimal("180.00"), T, THRESHOLD);
    book.revalue(T, THRESHOLD);

    book.reprice("AAPL", new BigDecimal("180.10"), T, THRESHOLD);

    assertThat(book.revalue(T, THRESHOLD)).isEmpty();
  }

  private static AccountBook book() {
    AccountBook book = new AccountBook(UUID.randomUUID());
    book.hold(position("AAPL", "100", PositionSide.LONG, "170.25", "175.50"));
    book.hold(position("TSLA", "20", PositionSide.SHORT, "260.00", "260.00"));
    // equity at the recorded prices: 10000 + 17550 − 5200 = 22350; yesterday's close 22000
    book.balances(new Account(new BigDecimal("22350.00"), new BigDecimal("30000.00"), new BigDecimal("10000.00"),
        new BigDecimal("22350.00"), new BigDecimal("350.00"), new BigDecimal("1.59"), new BigDecimal("22000.00"),
        T.minusSeconds(60), 3L));
    return book;
  }

  private static Position position(String symbol, String qty, PositionSide side, String entry, String price) {
    BigDecimal q = new BigDecimal(qty);
    BigDecimal p = new BigDecimal(price);
    BigDecimal e = new BigDecimal(entry);
    return new Position(symbol, q, p, e, null, null,
        com.portfoliostream.events.model.Valuation.marketValue(side, q, p), side, null, T.minusSeconds(3600),
        T.minusSeconds(60), 7L);
  }
}
