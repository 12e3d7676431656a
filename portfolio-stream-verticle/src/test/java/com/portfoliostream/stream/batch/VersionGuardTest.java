package com.portfoliostream.stream.batch;

import static com.portfoliostream.stream.batch.Entities.T0;
import static com.portfoliostream.stream.batch.Entities.USER;
import static com.portfoliostream.stream.batch.Entities.account;
import static com.portfoliostream.stream.batch.Entities.batch;
import static com.portfoliostream.stream.batch.Entities.order;
import static com.portfoliostream.stream.batch.Entities.position;
import static com.portfoliostream.stream.batch.Entities.trade;
import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.events.model.OrderStatus;
import com.portfoliostream.events.protocol.ServerEvents;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The guard that drops updates older than one already seen")
class VersionGuardTest {

  /** A fresh guard per test (JUnit makes a new instance for each method). */
  private final VersionGuard guard = new VersionGuard();

  @Test
  @DisplayName("the first state of a position is admitted")
  void firstPositionAdmitted() {
    assertThat(guard.admit(position("AAPL", "10", 3L))).isTrue();
  }

  @Test
  @DisplayName("a position older than one seen is dropped")
  void olderPositionDropped() {
    guard.admit(position("AAPL", "10", 5L));

    assertThat(guard.admit(position("AAPL", "9", 4L))).isFalse();
  }

  @Test
  @DisplayName("a newer position, and a repeat of the same version, are admitted")
  void newerAndSamePositionAdmitted() {
    guard.admit(position("AAPL", "10", 5L));

    assertThat(guard.admit(position("AAPL", "10", 5L))).isTrue();
    assertThat(guard.admit(position("AAPL", "11", 6L))).isTrue();
  }

  @Test
  @DisplayName("a dropped state is not remembered: what was newest stays the baseline")
  void droppedStateNotRemembered() {
    guard.admit(position("AAPL", "10", 5L));
    guard.admit(position("AAPL", "9", 2L));

    assertThat(guard.admit(position("AAPL", "9", 3L))).isFalse();
  }

  @Test
  @DisplayName("versions are remembered per symbol: a newer version of one does not hold back another")
  void positionsPerSymbol() {
    guard.admit(position("AAPL", "10", 50L));

    assertThat(guard.admit(position("TSLA", "1", 1L))).isTrue();
  }

  @Test
  @DisplayName("an order older than one seen with the same id is dropped; other ids are independent")
  void ordersPerId() {
    guard.admit(order("o-1", OrderStatus.FILLED, 3L));

    assertThat(guard.admit(order("o-1", OrderStatus.NEW, 1L))).isFalse();
    assertThat(guard.admit(order("o-2", OrderStatus.NEW, 1L))).isTrue();
  }

  @Test
  @DisplayName("an account older than the one seen is dropped, a newer one admitted")
  void account_versions() {
    guard.admit(account("100.00", 4L));

    assertThat(guard.admit(account("90.00", 3L))).isFalse();
    assertThat(guard.admit(account("110.00", 5L))).isTrue();
    assertThat(guard.admit(account("105.00", 4L))).isFalse();
  }

  @Test
  @DisplayName("a versionless state is admitted only while no version of that entity was seen")
  void versionlessStates() {
    assertThat(guard.admit(position("AAPL", "1", null))).isTrue();
    assertThat(guard.admit(account("1.00", null))).isTrue();

    guard.admit(position("AAPL", "2", 1L));
    guard.admit(account("2.00", 1L));

    assertThat(guard.admit(position("AAPL", "3", null))).isFalse();
    assertThat(guard.admit(account("3.00", null))).isFalse();
    assertThat(guard.admit(order("o-1", OrderStatus.NEW, null))).isTrue();
  }

  @Test
  @DisplayName("trades and other events without a version are always admitted")
  void unversionedTypesAdmitted() {
    assertThat(guard.admit(trade("t-1"))).isTrue();
    assertThat(guard.admit(trade("t-1"))).isTrue();
    assertThat(guard.admit(ServerEvents.pong(USER, T0))).isTrue();
  }

  @Test
  @DisplayName("orders remembered are bounded: past the bound the least recently seen is forgotten, a recent one kept")
  void ordersBounded() {
    guard.admit(order("oldest", OrderStatus.FILLED, 9L));
    guard.admit(order("recent", OrderStatus.FILLED, 9L));
    for (int i = 0; i < VersionGuard.MAX_ORDERS - 2; i++) {
      guard.admit(order("filler-" + i, OrderStatus.NEW, 1L));
    }
    guard.admit(order("recent", OrderStatus.FILLED, 9L));

    guard.admit(order("one-too-many", OrderStatus.NEW, 1L));

    assertThat(guard.admit(order("recent", OrderStatus.NEW, 1L))).as("still remembered").isFalse();
    assertThat(guard.admit(order("oldest", OrderStatus.NEW, 1L))).as("forgotten").isTrue();
  }

  @Test
  @DisplayName("at the bound exactly, no order is forgotten")
  void ordersAtBoundKept() {
    guard.admit(order("oldest", OrderStatus.FILLED, 9L));
    for (int i = 0; i < VersionGuard.MAX_ORDERS - 1; i++) {
      guard.admit(order("filler-" + i, OrderStatus.NEW, 1L));
    }

    assertThat(guard.admit(order("oldest", OrderStatus.NEW, 1L))).isFalse();
  }
}
