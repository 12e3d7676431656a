package com.portfoliostream.stream.batch;

import static com.portfoliostream.stream.batch.Entities.T0;
import static com.portfoliostream.stream.batch.Entities.USER;
import static com.portfoliostream.stream.batch.Entities.account;
import static com.portfoliostream.stream.batch.Entities.accountState;
import static com.portfoliostream.stream.batch.Entities.batch;
import static com.portfoliostream.stream.batch.Entities.order;
import static com.portfoliostream.stream.batch.Entities.orderState;
import static com.portfoliostream.stream.batch.Entities.position;
import static com.portfoliostream.stream.batch.Entities.positionState;
import static com.portfoliostream.stream.batch.Entities.trade;
import static com.portfoliostream.stream.batch.Entities.tradeState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.portfoliostream.events.model.Account;
import com.portfoliostream.events.model.Order;
import com.portfoliostream.events.model.OrderStatus;
import com.portfoliostream.events.model.PortfolioFrame;
import com.portfoliostream.events.model.Position;
import com.portfoliostream.events.model.Trade;
import com.portfoliostream.events.protocol.EventType;
import com.portfoliostream.events.protocol.ServerEvent;
import com.portfoliostream.events.protocol.ServerEvents;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("The frame of entity states waiting to be sent")
class PendingFrameTest {

  private static final Instant DRAINED_AT = T0.plusSeconds(1);

  /** A fresh frame per test (JUnit makes a new instance for each method). */
  private final PendingFrame frame = new PendingFrame(100);

  @Test
  @DisplayName("positions are coalesced per symbol: the newest version of each, in the order the symbols first came")
  void newestPositionPerSymbol() {
    frame.add(position("AAPL", "10", 1L), T0);
    frame.add(position("TSLA", "5", 1L), T0);
    frame.add(position("AAPL", "12", 3L), T0);

    PortfolioFrame drained = frameOf(frame.drain(USER, DRAINED_AT));

    assertThat(drained.positions()).extracting(Position::symbol, Position::version)
        .containsExactly(tuple("AAPL", 3L), tuple("TSLA", 1L));
  }

  @Test
  @DisplayName("a position state older than the one held never replaces it")
  void olderPositionIsIgnored() {
    frame.add(position("AAPL", "12", 5L), T0);
    frame.add(position("AAPL", "10", 4L), T0);

    Position held = (Position) frame.drain(USER, DRAINED_AT).data();

    assertThat(held.version()).isEqualTo(5L);
    assertThat(held.quantity()).isEqualByComparingTo("12");
  }

  @Test
  @DisplayName("a position state without a version never replaces one that has a version")
  void versionlessPositionIsIgnored() {
    frame.add(position("AAPL", "12", 2L), T0);
    frame.add(position("AAPL", "99", null), T0);

    Position held = (Position) frame.drain(USER, DRAINED_AT).data();

    assertThat(held.version()).isEqualTo(2L);
    assertThat(held.quantity()).isEqualByComparingTo("12");
  }

  @Test
  @DisplayName("a later state of the same version replaces the one held (a repeat is not older)")
  void sameVersionReplaces() {
    frame.add(position("AAPL", "12", 2L), T0);
    frame.add(position("AAPL", "13", 2L), T0);

    assertThat(((Position) frame.drain(USER, DRAINED_AT).data()).quantity()).isEqualByComparingTo("13");
  }

  @Test
  @DisplayName("orders are coalesced per order id: the newest version of each")
  void newestOrderPerId() {
    frame.add(order("o-1", OrderStatus.NEW, 1L), T0);
    frame.add(order("o-2", OrderStatus.NEW, 1L), T0);
    frame.add(order("o-1", OrderStatus.FILLED, 2L), T0);

    PortfolioFrame drained = frameOf(frame.drain(USER, DRAINED_AT));

    assertThat(drained.orders()).extracting(Order::orderId, Order::status)
        .containsExactly(tuple("o-1", OrderStatus.FILLED),
            tuple("o-2", OrderStatus.NEW));
  }

  @Test
  @DisplayName("an order state older than the one held never replaces it")
  void olderOrderIsIgnored() {
    frame.add(order("o-1", OrderStatus.FILLED, 3L), T0);
    frame.add(order("o-1", OrderStatus.NEW, 1L), T0);

    assertThat(((Order) frame.drain(USER, DRAINED_AT).data()).status()).isEqualTo(OrderStatus.FILLED);
  }

  @Test
  @DisplayName("only the newest account state is held, whatever order the versions came in")
  void newestAccount() {
    frame.add(account("100.00", 1L), T0);
    frame.add(account("300.00", 3L), T0);
    frame.add(account("200.00", 2L), T0);

    assertThat(frame.size()).isEqualTo(1);
    Account held = (Account) frame.drain(USER, DRAINED_AT).data();
    assertThat(held.version()).isEqualTo(3L);
    assertThat(held.equity()).isEqualByComparingTo("300.00");
  }

  @Test
  @DisplayName("trades are never coalesced: every one is kept, in the order it came")
  void everyTradeInOrder() {
    frame.add(trade("t-1"), T0);
    frame.add(trade("t-2"), T0);
    frame.add(trade("t-1"), T0);

    PortfolioFrame drained = frameOf(frame.drain(USER, DRAINED_AT));

    assertThat(drained.trades()).extracting(Trade::tradeId).containsExactly("t-1", "t-2", "t-1");
  }

  static Stream<Arguments> singleEntities() {
    return Stream.of(
        Arguments.of(position("AAPL", "10", 1L), EventType.POSITION_UPDATE),
        Arguments.of(order("o-1", OrderStatus.NEW, 1L), EventType.ORDER_UPDATE),
        Arguments.of(trade("t-1"), EventType.TRADE_EXECUTED),
        Arguments.of(account("100.00", 1L), EventType.ACCOUNT_UPDATE));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("singleEntities")
  @DisplayName("one entity state drains as its own typed event, for the user, stamped with the drain time")
  void oneEntityDrainsTyped(ServerEvent event, EventType expected) {
    frame.add(event, T0);

    ServerEvent drained = frame.drain("someone", DRAINED_AT);

    assertThat(drained.type()).isEqualTo(expected);
    assertThat(drained.data()).isEqualTo(event.data());
    assertThat(drained.userId()).isEqualTo("someone");
    assertThat(drained.timestamp()).isEqualTo(DRAINED_AT);
  }

  @Test
  @DisplayName("several states of one entity coalesced into one drain as that entity's typed event, not a batch")
  void coalescedToOneDrainsTyped() {
    frame.add(position("AAPL", "10", 1L), T0);
    frame.add(position("AAPL", "11", 2L), T0);

    ServerEvent drained = frame.drain(USER, DRAINED_AT);

    assertThat(drained.type()).isEqualTo(EventType.POSITION_UPDATE);
    assertThat(((Position) drained.data()).version()).isEqualTo(2L);
  }

  @Test
  @DisplayName("several entities drain as one batch, channels with nothing left out (null)")
  void severalDrainAsBatch() {
    frame.add(position("AAPL", "10", 1L), T0);
    frame.add(account("100.00", 1L), T0);

    ServerEvent drained = frame.drain(USER, DRAINED_AT);

    assertThat(drained.type()).isEqualTo(EventType.BATCH);
    assertThat(drained.timestamp()).isEqualTo(DRAINED_AT);
    PortfolioFrame data = (PortfolioFrame) drained.data();
    assertThat(data.positions()).hasSize(1);
    assertThat(data.account()).isNotNull();
    assertThat(data.orders()).isNull();
    assertThat(data.trades()).isNull();
  }

  @Test
  @DisplayName("an empty frame drains to nothing")
  void emptyDrainsToNull() {
    assertThat(frame.isEmpty()).isTrue();
    assertThat(frame.drain(USER, DRAINED_AT)).isNull();
  }

  @Test
  @DisplayName("draining empties the frame: nothing held, nothing absorbed, no stamps, and the next drain is empty")
  void drainEmpties() {
    frame.add(position("AAPL", "10", 1L), T0);
    frame.add(order("o-1", OrderStatus.NEW, 1L), T0);
    frame.add(trade("t-1"), T0);
    frame.add(account("100.00", 1L), T0);

    frame.drain(USER, DRAINED_AT);

    assertThat(frame.isEmpty()).isTrue();
    assertThat(frame.size()).isZero();
    assertThat(frame.absorbed()).isZero();
    assertThat(frame.stamps()).isEmpty();
    assertThat(frame.drain(USER, DRAINED_AT)).isNull();
  }

  @Test
  @DisplayName("a state drained earlier does not hold back an older version afterwards (the frame remembers only what it holds)")
  void drainForgetsVersions() {
    frame.add(position("AAPL", "12", 5L), T0);
    frame.drain(USER, DRAINED_AT);

    frame.add(position("AAPL", "10", 1L), T0);

    assertThat(((Position) frame.drain(USER, DRAINED_AT).data()).version()).isEqualTo(1L);
  }

  @Test
  @DisplayName("absorbed counts the events added, size the states held after coalescing")
  void absorbedAndSize() {
    frame.add(position("AAPL", "10", 1L), T0);
    frame.add(position("AAPL", "11", 2L), T0);
    frame.add(position("AAPL", "9", 1L), T0);
    frame.add(trade("t-1"), T0);

    assertThat(frame.absorbed()).isEqualTo(4);
    assertThat(frame.size()).isEqualTo(2);
  }

  @Test
  @DisplayName("a full frame refuses a new entity and keeps what it holds")
  void fullFrameRefuses() {
    PendingFrame small = new PendingFrame(2);
    assertThat(small.add(position("AAPL", "10", 1L), T0)).isTrue();
    assertThat(small.add(position("TSLA", "10", 1L), T0)).isTrue();

    assertThat(small.add(position("NVDA", "10", 1L), T0)).isFalse();

    assertThat(small.size()).isEqualTo(2);
    assertThat(small.absorbed()).isEqualTo(2);
    assertThat(frameOf(small.drain(USER, DRAINED_AT)).positions()).extracting(Position::symbol)
        .containsExactly("AAPL", "TSLA");
  }

  @Test
  @DisplayName("a batch added is unpacked into its entities, each coalesced with what is held, and counted per entity")
  void batchIsUnpacked() {
    frame.add(position("AAPL", "10", 1L), T0);

    frame.add(batch(List.of(positionState("AAPL", "11", 2L), positionState("TSLA", "5", 1L)),
        List.of(orderState("o-1", OrderStatus.NEW, 1L)), accountState("100.00", 1L), List.of(tradeState("t-1"))), T0);

    assertThat(frame.absorbed()).isEqualTo(1 + 5);
    assertThat(frame.size()).isEqualTo(5);
    PortfolioFrame drained = frameOf(frame.drain(USER, DRAINED_AT));
    assertThat(drained.positions()).extracting(Position::symbol, Position::version)
        .containsExactly(tuple("AAPL", 2L), tuple("TSLA", 1L));
    assertThat(drained.orders()).hasSize(1);
    assertThat(drained.account()).isNotNull();
    assertThat(drained.trades()).hasSize(1);
  }

  @Test
  @DisplayName("an older position inside a batch does not replace the newer one held")
  void batchOlderPositionIgnored() {
    frame.add(position("AAPL", "12", 5L), T0);

    frame.add(batch(List.of(positionState("AAPL", "10", 4L)), null, null, null), T0);

    assertThat(((Position) frame.drain(USER, DRAINED_AT).data()).version()).isEqualTo(5L);
  }

  @Test
  @DisplayName("a snapshot added is unpacked like a batch")
  void snapshotIsUnpacked() {
    frame.add(ServerEvents.snapshot(USER, new PortfolioFrame(List.of(positionState("AAPL", "1", 1L)), null,
        accountState("1.00", 1L), null), T0), T0);

    assertThat(frame.size()).isEqualTo(2);
    assertThat(frame.absorbed()).isEqualTo(2);
  }

  @Test
  @DisplayName("stamps give one broker time per state held: the time of the state kept, not of an older one refused")
  void stampsFollowKeptStates() {
    Instant first = T0.plusMillis(1);
    Instant refused = T0.plusMillis(2);
    Instant tradeTime = T0.plusMillis(3);
    Instant accountTime = T0.plusMillis(4);
    frame.add(position("AAPL", "10", 2L), first);
    frame.add(position("AAPL", "9", 1L), refused);
    frame.add(trade("t-1"), tradeTime);
    frame.add(account("100.00", 1L), accountTime);

    assertThat(frame.stamps()).containsExactlyInAnyOrder(
        new PendingFrame.Stamp(EventType.POSITION_UPDATE, "p:AAPL", first),
        new PendingFrame.Stamp(EventType.TRADE_EXECUTED, "t:t-1", tradeTime),
        new PendingFrame.Stamp(EventType.ACCOUNT_UPDATE, PendingFrame.ACCOUNT_KEY, accountTime));
  }

  @Test
  @DisplayName("a newer state of a held entity replaces its stamp with its own broker time")
  void newerStateRestamps() {
    Instant later = T0.plusMillis(10);
    frame.add(order("o-1", OrderStatus.NEW, 1L), T0);
    frame.add(order("o-1", OrderStatus.FILLED, 2L), later);

    assertThat(frame.stamps()).containsExactly(new PendingFrame.Stamp(EventType.ORDER_UPDATE, "o:o-1", later));
  }

  @Test
  @DisplayName("an event that is not an entity (a pong) is refused with an error")
  void nonEntityRefused() {
    assertThatThrownBy(() -> frame.add(ServerEvents.pong(USER, T0), T0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pong");
    assertThat(frame.isEmpty()).isTrue();
  }

  private static PortfolioFrame frameOf(ServerEvent event) {
    assertThat(event.type()).isEqualTo(EventType.BATCH);
    return (PortfolioFrame) event.data();
  }
}
