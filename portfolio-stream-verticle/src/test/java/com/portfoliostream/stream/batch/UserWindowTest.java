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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A user's batching (clock under test control)")
class UserWindowTest {

  private static final UUID USER = UUID.randomUUID();
  private static final long DEADLINE_MS = 450;
  /** Threshold zero: every price change counts, so these tests see the pacing alone. */
  private final UserWindow window = new UserWindow(USER.toString(), BigDecimal.ZERO, new UserWindow.Pacing.Window(1000));
  private final UserWindow deadline = new UserWindow(USER.toString(), BigDecimal.ZERO,
      new UserWindow.Pacing.Deadline(DEADLINE_MS));
  private Instant now = Instant.parse("2026-11-22T15:00:00Z");

  // ---- deadline pacing (the default) ----

  @Test
  @DisplayName("deadline: an isolated tick goes after the burst linger, as its typed event")
  void isolatedTick() {
    UserWindow.Result result = deadline.offer(Fixtures.position(USER, "AAPL", "175.00", 1), UserEventBus.Meta.of(now), now);

    assertThat(result.outcome()).isEqualTo(UserWindow.Outcome.HELD);
    assertThat(deadline.dueAt()).hasValue(now.toEpochMilli() + UserWindow.BURST_LINGER_MS);
    assertThat(deadline.flushDue(now.plusMillis(1))).as("not before it is due").isEmpty();
    Flush flush = deadline.flushDue(now.plusMillis(UserWindow.BURST_LINGER_MS)).orElseThrow();
    assertThat(flush.event().type()).isEqualTo(EventType.POSITION_UPDATE);
    assertThat(deadline.dueAt()).isEmpty();
  }

  @Test
  @DisplayName("deadline: a burst that arrives together (ten positions in a millisecond) goes as one frame")
  void burstIsOneFrame() {
    for (int s = 0; s < 10; s++) {
      deadline.offer(Fixtures.position(USER, "S" + s, "100.00", 1), UserEventBus.Meta.of(now), now);
    }

    Flush flush = deadline.flushDue(now.plusMillis(UserWindow.BURST_LINGER_MS)).orElseThrow();

    assertThat(flush.event().type()).isEqualTo(EventType.BATCH);
    assertThat(((PortfolioFrame) flush.event().data()).positions()).hasSize(10);
    assertThat(deadline.dueAt()).isEmpty();
  }

  @Test
  @DisplayName("deadline: at ten ticks a second spread over the second, no event waits longer than the deadline and four in five frames are saved")
  void deadlineHolds() {
    Map<String, Long> arrived = new HashMap<>();
    long worst = 0;
    int events = 0;
    int frames = 0;
    long start = now.toEpochMilli();
    for (long t = start; t < start + 60_000; t++) {
      Instant at = Instant.ofEpochMilli(t);
      if (deadline.dueAt().isPresent() && deadline.dueAt().getAsLong() <= t) {
        Flush flush = deadline.flushDue(at).orElseThrow();
        frames++;
        for (String key : keys(flush)) {
          worst = Math.max(worst, t - arrived.remove(key));
        }
      }
      if ((t - start) % 100 == 37) {
        int slot = events % 10;
        events++;
        String symbol = "S" + slot;
        arrived.putIfAbsent(symbol, t);
        deadline.offer(Fixtures.position(USER, symbol, Integer.toString(100 + events), events), UserEventBus.Meta.of(at), at);
      }
    }

    assertThat(worst).as("the longest any update waited").isLessThanOrEqualTo(DEADLINE_MS);
    assertThat(1.0 - (double) frames / events).as("frames saved: %d frames for %d events", frames, events)
        .isGreaterThanOrEqualTo(0.79);
  }

  @Test
  @DisplayName("deadline: an urgent event sends what waits at once, and the deadline of what comes next starts afresh")
  void urgentUnderDeadline() {
    deadline.offer(Fixtures.position(USER, "AAPL", "175.00", 1), UserEventBus.Meta.of(now), now);
    deadline.flushDue(now.plusMillis(5));
    Instant later = now.plusMillis(100);
    deadline.offer(Fixtures.position(USER, "AAPL", "176.00", 2), UserEventBus.Meta.of(later), later);
    assertThat(deadline.dueAt()).hasValue(later.toEpochMilli() + DEADLINE_MS);

    deadline.offer(Fixtures.order(USER, "NVDA", OrderStatus.FILLED), UserEventBus.Meta.of(later), later);

    assertThat(deadline.dueAt()).hasValue(later.toEpochMilli() + UserWindow.URGENT_LINGER_MS);
    PortfolioFrame frame = (PortfolioFrame) deadline.flushDue(later.plusMillis(5)).orElseThrow().event().data();
    assertThat(frame.positions()).hasSize(1);
    assertThat(frame.orders()).hasSize(1);
    assertThat(deadline.dueAt()).isEmpty();
  }

  private static List<String> keys(Flush flush) {
    if (flush.event().data() instanceof PortfolioFrame frame) {
      return frame.positions().stream().map(Position::symbol).toList();
    }
    return List.of(((Position) flush.event().data()).symbol());
  }

  // ---- window pacing (BATCH_MODE=window) ----

  @Test
  @DisplayName("window: the first event after a quiet spell goes at once, as its typed event, and opens a window")
  void leadingEdge() {
    UserWindow.Result result = offer(Fixtures.position(USER, "AAPL", "175.00", 1));

    assertThat(result.outcome()).isEqualTo(UserWindow.Outcome.SENT);
    assertThat(result.flush().orElseThrow().event().type()).isEqualTo(EventType.POSITION_UPDATE);
    assertThat(window.dueAt()).hasValue(now.toEpochMilli() + 1000);
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
    assertThat(window.dueAt()).as("closed").isEmpty();
    assertThat(offer(Fixtures.position(USER, "AAPL", "175.20", 3)).outcome()).isEqualTo(UserWindow.Outcome.SENT);
  }

  @Test
  @DisplayName("order updates and trades go after the urgent linger, with what was waiting, in one frame")
  void urgentFlush() {
    offer(Fixtures.position(USER, "AAPL", "175.00", 1));
    offer(Fixtures.position(USER, "TSLA", "250.00", 1));

    offer(Fixtures.order(USER, "NVDA", OrderStatus.FILLED));
    offer(Fixtures.trade(USER, "NVDA"));
    assertThat(window.dueAt()).hasValue(now.toEpochMilli() + UserWindow.URGENT_LINGER_MS);
    Flush flush = window.flushDue(now.plusMillis(UserWindow.URGENT_LINGER_MS)).orElseThrow();

    assertThat(window.dueAt()).as("the window's own end still comes").hasValue(now.toEpochMilli() + 1000);
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

    assertThat(result.outcome()).isEqualTo(UserWindow.Outcome.HELD);
    assertThat(window.dueAt()).hasValue(now.toEpochMilli() + UserWindow.URGENT_LINGER_MS);
    assertThat(window.flushDue(now.plusMillis(UserWindow.URGENT_LINGER_MS)).orElseThrow().event().type())
        .isEqualTo(EventType.POSITION_UPDATE);
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
    Flush flush = window.flushDue(now.plusMillis(UserWindow.URGENT_LINGER_MS)).orElseThrow();

    PortfolioFrame frame = (PortfolioFrame) flush.event().data();
    assertThat(frame.trades()).containsExactly((com.portfoliostream.events.model.Trade) first.data(),
        (com.portfoliostream.events.model.Trade) second.data(), (com.portfoliostream.events.model.Trade) third.data());
  }

  @Test
  @DisplayName("window: ten positions updated every 100 ms for ten seconds go out in at most one frame a window")
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
      if (step % 10 == 9 && window.flushDue(now).isPresent()) {
        frames++;
      }
    }

    assertThat(frames).isLessThanOrEqualTo(11);
    assertThat(1.0 - (double) frames / events).isGreaterThan(0.9);
  }

  @Test
  @DisplayName("a price move within the significance threshold is dropped; a bigger one, or a fill, passes")
  void significance() {
    UserWindow filtered = new UserWindow(USER.toString(), new BigDecimal("0.1"), new UserWindow.Pacing.Window(1000));
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
        .isEqualTo(UserWindow.Outcome.HELD);
    assertThat(filtered.dueAt()).as("a fill's change goes after the urgent linger")
        .hasValue(now.toEpochMilli() + UserWindow.URGENT_LINGER_MS);
  }

  private UserWindow.Result offer(ServerEvent event) {
    return window.offer(event, UserEventBus.Meta.of(now), now);
  }

  private Optional<Flush> tick(long millis) {
    now = now.plus(Duration.ofMillis(millis));
    return window.flushDue(now);
  }
}
