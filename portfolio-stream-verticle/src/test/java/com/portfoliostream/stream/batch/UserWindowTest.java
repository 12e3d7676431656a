package com.portfoliostream.stream.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.testkit.Fixtures;
import com.portfoliostream.common.bus.UserEventBus;
import com.portfoliostream.events.model.OrderStatus;
import com.portfoliostream.events.model.PortfolioFrame;
import com.portfoliostream.events.model.Position;
import com.portfoliostream.events.protocol.EventType;
import com.portfoliostream.events.protocol.ServerEvent;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A user's batching window (clock under test control)")
class UserWindowTest {

  private static final UUID USER = UUID.randomUUID();
  /** Threshold zero: every price change counts, so these tests see the window alone. */
  private final UserWindow window = new UserWindow(USER.toString(), BigDecimal.ZERO);
  private Instant now = Instant.parse("2026-11-22T15:00:00Z");

  @Test
  @DisplayName("the first event after a quiet spell goes at once, as its typed event, and opens a window")
  void leadingEdge() {
    UserWindow.Result result = offer(Fixtures.position(USER, "AAPL", "175.00", 1));

    assertThat(result.outcome()).isEqualTo(UserWindow.Outcome.SENT);
    assertThat(result.flush().orElseThrow().event().type()).isEqualTo(EventType.POSITION_UPDATE);
    assertThat(window.isOpen()).isTrue();
  }

  @Test
  @DisplayName("within a window the latest position per symbol wins, and several entities go as one batch")
  void coalesces() {
    offer(Fixtures.position(USER, "AAPL", "175.00", 1));
    for (int v = 2; v <= 10; v++) {
      assertThat(offer(Fixtures.position(USER, "AAPL", "175." + v, v)).outcome()).isEqualTo(UserWindow.Outcome.HELD);
    }
    offer(Fixtures.position(USER, "TSLA", "250.00", 1));
    offer(Fixtures.account(USER, "100000.00"));

    Flush flush = tick(1000).orElseThrow();

    assertThat(flush.event().type()).isEqualTo(EventType.BATCH);
    assertThat(flush.eventsIn()).isEqualTo(11);
    PortfolioFrame frame = (PortfolioFrame) flush.event().data();
    assertThat(frame.positions()).extracting(Position::symbol).containsExactly("AAPL", "TSLA");
    assertThat(frame.positions().get(0).version()).isEqualTo(10L);
    assertThat(frame.account()).isNotNull();
    assertThat(frame.orders()).isNull();
  }

  @Test
  @DisplayName("a window holding one event sends it typed; an empty window closes, and the next event goes at once")
  void singleAndQuiet() {
    offer(Fixtures.position(USER, "AAPL", "175.00", 1));
    offer(Fixtures.position(USER, "AAPL", "175.10", 2));

    assertThat(tick(1000).orElseThrow().event().type()).isEqualTo(EventType.POSITION_UPDATE);
    assertThat(tick(1000)).isEmpty();
    assertThat(window.isOpen()).isFalse();
    assertThat(offer(Fixtures.position(USER, "AAPL", "175.20", 3)).outcome()).isEqualTo(UserWindow.Outcome.SENT);
  }

  @Test
  @DisplayName("order updates and trades go after the urgent linger, with what was waiting, in one frame")
  void urgentFlush() {
    offer(Fixtures.position(USER, "AAPL", "175.00", 1));
    offer(Fixtures.position(USER, "TSLA", "250.00", 1));

    UserWindow.Result order = offer(Fixtures.order(USER, "NVDA", OrderStatus.FILLED));
    UserWindow.Result trade = offer(Fixtures.trade(USER, "NVDA"));
    Flush flush = window.flushUrgent(now.plusMillis(UserWindow.URGENT_LINGER_MS)).orElseThrow();

    assertThat(order.outcome()).isEqualTo(UserWindow.Outcome.URGENT);
    assertThat(trade.outcome()).as("the linger is already running").isEqualTo(UserWindow.Outcome.HELD);
    PortfolioFrame frame = (PortfolioFrame) flush.event().data();
    assertThat(frame.positions()).hasSize(1);
    assertThat(frame.orders()).hasSize(1);
    assertThat(frame.trades()).hasSize(1);
    assertThat(tick(1000)).isEmpty();
  }

  @Test
  @DisplayName("a position or account update caused by a fill flushes at once")
  void fillCausedFlush() {
    offer(Fixtures.position(USER, "AAPL", "175.00", 1));

    UserWindow.Result result = window.offer(Fixtures.position(USER, "AAPL", "175.00", 2),
        UserEventBus.Meta.fill(now), now);

    assertThat(result.outcome()).isEqualTo(UserWindow.Outcome.URGENT);
    assertThat(window.flushUrgent(now).orElseThrow().event().type()).isEqualTo(EventType.POSITION_UPDATE);
  }

  @Test
  @DisplayName("an older version never overwrites a newer one, in a window or across windows")
  void versionGuard() {
    offer(Fixtures.position(USER, "AAPL", "175.00", 5));
    assertThat(offer(Fixtures.position(USER, "AAPL", "174.00", 4)).outcome()).isEqualTo(UserWindow.Outcome.STALE);
    offer(Fixtures.position(USER, "AAPL", "176.00", 7));
    assertThat(offer(Fixtures.position(USER, "AAPL", "175.50", 6)).outcome()).isEqualTo(UserWindow.Outcome.STALE);

    Position sent = (Position) tick(1000).orElseThrow().event().data();

    assertThat(sent.version()).isEqualTo(7L);
    assertThat(offer(Fixtures.position(USER, "AAPL", "170.00", 3)).outcome()).isEqualTo(UserWindow.Outcome.STALE);
  }

  @Test
  @DisplayName("every trade is kept, in order")
  void tradesKept() {
    ServerEvent first = Fixtures.trade(USER, "AAPL");
    ServerEvent second = Fixtures.trade(USER, "AAPL");
    ServerEvent third = Fixtures.trade(USER, "AAPL");

    offer(first);
    offer(second);
    offer(third);
    Flush flush = window.flushUrgent(now).orElseThrow();

    PortfolioFrame frame = (PortfolioFrame) flush.event().data();
    assertThat(frame.trades()).containsExactly((com.portfoliostream.events.model.Trade) first.data(),
        (com.portfoliostream.events.model.Trade) second.data(), (com.portfoliostream.events.model.Trade) third.data());
  }

  @Test
  @DisplayName("ten positions updated every 100 ms for ten seconds go out in at most one frame a window")
  void reduction() {
    int events = 0;
    int frames = 0;
    for (int step = 0; step < 100; step++) {
      for (int s = 0; s < 10; s++) {
        events++;
        if (offer(Fixtures.position(USER, "S" + s, Integer.toString(100 + step), step + 1)).flush().isPresent()) {
          frames++;
        }
      }
      now = now.plusMillis(100);
      if (step % 10 == 9 && window.tick(now).isPresent()) {
        frames++;
      }
    }

    assertThat(frames).isLessThanOrEqualTo(11);
    assertThat(1.0 - (double) frames / events).isGreaterThan(0.9);
  }

  @Test
  @DisplayName("a price move within the significance threshold is dropped; a bigger one, or a fill, passes")
  void significance() {
    UserWindow filtered = new UserWindow(USER.toString(), new BigDecimal("0.1"));
    UserEventBus.Meta meta = UserEventBus.Meta.of(now);

    assertThat(filtered.offer(Fixtures.position(USER, "AAPL", "100.00", 1), meta, now).outcome())
        .isEqualTo(UserWindow.Outcome.SENT);
    assertThat(filtered.offer(Fixtures.position(USER, "AAPL", "100.05", 2), meta, now).outcome())
        .isEqualTo(UserWindow.Outcome.INSIGNIFICANT);
    assertThat(filtered.offer(Fixtures.position(USER, "AAPL", "100.09", 3), meta, now).outcome())
        .isEqualTo(UserWindow.Outcome.INSIGNIFICANT);
    assertThat(filtered.offer(Fixtures.position(USER, "AAPL", "100.11", 4), meta, now).outcome())
        .as("drift accumulates against the last state sent").isEqualTo(UserWindow.Outcome.HELD);
    assertThat(filtered.offer(Fixtures.position(USER, "AAPL", "100.12", 5), UserEventBus.Meta.fill(now), now).outcome())
        .isEqualTo(UserWindow.Outcome.URGENT);
  }

  private UserWindow.Result offer(ServerEvent event) {
    return window.offer(event, UserEventBus.Meta.of(now), now);
  }

  private Optional<Flush> tick(long millis) {
    now = now.plus(Duration.ofMillis(millis));
    return window.tick(now);
  }
}
