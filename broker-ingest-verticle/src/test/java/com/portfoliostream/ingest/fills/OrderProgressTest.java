package com.portfoliostream.ingest.fills;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.events.model.OrderStatus;
import com.portfoliostream.ingest.fills.OrderProgress.OrderState;
import java.math.BigDecimal;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("The forward-only order of order statuses")
class OrderProgressTest {

  @ParameterizedTest(name = "{0} then {1}: {2}")
  @CsvSource({
      "pending_new, accepted, accepted",
      "accepted, pending_new, -",
      "accepted, new, new",
      "new, pending_new, -",
      "new, accepted, -",
      "new, stopped, stopped",
      "stopped, suspended, suspended",
      "suspended, stopped, stopped",
      "new, pending_cancel, pending_cancel",
      "pending_cancel, new, -",
      "pending_cancel, pending_new, -",
      "pending_cancel, canceled, canceled",
      "pending_replace, new, -",
      "canceled, new, -",
      "canceled, expired, -",
      "filled, canceled, -",
      "failed, new, new",
      "failed, rejected, rejected",
  })
  @DisplayName("without new fills, a status moves only forward")
  void forwardOnly(String current, String reported, String expected) {
    Optional<OrderState> next = OrderProgress.next(state(current, "0", null), state(reported, "0", null), false);

    assertThat(next.map(s -> s.status().wire()).orElse("-")).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} refused back to {1}")
  @CsvSource({"pending_cancel, new", "pending_cancel, partially_filled", "pending_replace, new"})
  @DisplayName("a refused cancel or replace steps back to the broker's status")
  void refusalStepsBack(String current, String reported) {
    Optional<OrderState> next = OrderProgress.next(state(current, "5", "10"), state(reported, "5", "10"), true);

    assertThat(next.orElseThrow().status().wire()).isEqualTo(reported);
  }

  @Test
  @DisplayName("a refusal does not reopen a final order")
  void refusalKeepsFinal() {
    assertThat(OrderProgress.next(state("canceled", "0", null), state("new", "0", null), true)).isEmpty();
  }

  @Test
  @DisplayName("new fills reported with an earlier status are kept, the status stays")
  void fillsWithEarlierStatus() {
    OrderState next = OrderProgress.next(state("pending_cancel", "0", null), state("partially_filled", "10", "190.10"),
        false).orElseThrow();

    assertThat(next.status()).isEqualTo(OrderStatus.PENDING_CANCEL);
    assertThat(next.filledQty()).isEqualByComparingTo("10");
    assertThat(next.filledAvgPrice()).isEqualByComparingTo("190.10");
  }

  @Test
  @DisplayName("filled quantity never goes back")
  void fillsNeverBack() {
    assertThat(OrderProgress.next(state("partially_filled", "10", "5"), state("filled", "5", "5"), false)).isEmpty();
  }

  @Test
  @DisplayName("a final order takes new fills (a fill reported after a cancel)")
  void finalTakesFills() {
    OrderState next = OrderProgress.next(state("canceled", "0", null), state("partially_filled", "2", "7"), false)
        .orElseThrow();

    assertThat(next.status()).isEqualTo(OrderStatus.CANCELED);
    assertThat(next.filledQty()).isEqualByComparingTo("2");
  }

  @Test
  @DisplayName("a report of what we hold already changes nothing")
  void sameChangesNothing() {
    assertThat(OrderProgress.next(state("new", "0", null), state("new", "0", null), false)).isEmpty();
    assertThat(OrderProgress.next(state("partially_filled", "3", "10.5"), state("partially_filled", "3", "10.50"),
        false)).isEmpty();
  }

  @Test
  @DisplayName("a differing average price alone is taken")
  void averagePriceTaken() {
    assertThat(OrderProgress.next(state("partially_filled", "3", "10.5"), state("partially_filled", "3", "10.6"),
        false).orElseThrow().filledAvgPrice()).isEqualByComparingTo("10.6");
  }

  private static OrderState state(String status, String filled, String average) {
    return new OrderState(OrderStatus.fromWire(status).orElseThrow(), new BigDecimal(filled),
        average == null ? null : new BigDecimal(average));
  }
}
