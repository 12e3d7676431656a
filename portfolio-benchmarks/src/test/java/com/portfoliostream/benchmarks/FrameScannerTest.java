package com.portfoliostream.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.events.json.ServerEventCodec;
import com.portfoliostream.events.model.Account;
import com.portfoliostream.events.model.Order;
import com.portfoliostream.events.model.OrderSide;
import com.portfoliostream.events.model.OrderStatus;
import com.portfoliostream.events.model.OrderType;
import com.portfoliostream.events.model.PortfolioFrame;
import com.portfoliostream.events.model.Position;
import com.portfoliostream.events.model.PositionSide;
import com.portfoliostream.events.model.TimeInForce;
import com.portfoliostream.events.model.Trade;
import com.portfoliostream.events.protocol.ServerEvent;
import com.portfoliostream.events.protocol.ServerEvents;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Reading frames without parsing them")
class FrameScannerTest {

  private static final Instant SENT = Instant.parse("2026-12-02T00:59:58.950Z");
  private static final Instant PRICED = Instant.parse("2026-12-02T00:59:58.123Z");
  private static final Instant FILLED = Instant.parse("2026-12-02T00:59:58.456Z");
  private static final Instant ORDERED = Instant.parse("2024-02-29T23:59:59.999Z");

  @Test
  @DisplayName("a batch yields every entity with its kind and publish time: price and fill positions, orders, trades, the account")
  void batch() {
    ServerEvent batch = ServerEvents.batch("u-1", new PortfolioFrame(List.of(position("S1", PRICED, false),
        position("S0", FILLED, true), position("S2", PRICED, false)), List.of(order(ORDERED), order(FILLED)),
        account(FILLED), List.of(trade(FILLED), trade(PRICED))), SENT);

    assertThat(read(ServerEventCodec.encode(batch))).containsExactly(
        Map.entry(FrameScanner.POSITION_PRICE, PRICED.toEpochMilli()),
        Map.entry(FrameScanner.POSITION_FILL, FILLED.toEpochMilli()),
        Map.entry(FrameScanner.POSITION_PRICE, PRICED.toEpochMilli()),
        Map.entry(FrameScanner.ORDER, ORDERED.toEpochMilli()),
        Map.entry(FrameScanner.ORDER, FILLED.toEpochMilli()),
        Map.entry(FrameScanner.TRADE, FILLED.toEpochMilli()),
        Map.entry(FrameScanner.TRADE, PRICED.toEpochMilli()),
        Map.entry(FrameScanner.ACCOUNT, FILLED.toEpochMilli()));
  }

  @Test
  @DisplayName("typed events yield their one entity; the account's time is its own, not the envelope's")
  void typed() {
    assertThat(read(ServerEventCodec.encode(ServerEvents.positionUpdate("u-1", position("S3", FILLED, true), SENT))))
        .containsExactly(Map.entry(FrameScanner.POSITION_FILL, FILLED.toEpochMilli()));
    assertThat(read(ServerEventCodec.encode(ServerEvents.orderUpdate("u-1", order(ORDERED), SENT))))
        .containsExactly(Map.entry(FrameScanner.ORDER, ORDERED.toEpochMilli()));
    assertThat(read(ServerEventCodec.encode(ServerEvents.tradeExecuted("u-1", trade(PRICED), SENT))))
        .containsExactly(Map.entry(FrameScanner.TRADE, PRICED.toEpochMilli()));
    assertThat(read(ServerEventCodec.encode(ServerEvents.accountUpdate("u-1", account(ORDERED), SENT))))
        .containsExactly(Map.entry(FrameScanner.ACCOUNT, ORDERED.toEpochMilli()));
  }

  @Test
  @DisplayName("a Socket.IO event frame reads like our own; a snapshot, info or pong yields no entity")
  void socketIo() {
    String envelope = ServerEventCodec.encode(ServerEvents.positionUpdate("u-1", position("S1", PRICED, false), SENT));
    String frame = "42[\"position_update\"," + envelope + "]";

    assertThat(FrameScanner.type(frame)).isEqualTo("position_update");
    assertThat(read(frame)).containsExactly(Map.entry(FrameScanner.POSITION_PRICE, PRICED.toEpochMilli()));
    String snapshot = ServerEventCodec.encode(ServerEvents.snapshot("u-1",
        new PortfolioFrame(List.of(position("S1", PRICED, false)), List.of(), null, List.of()), SENT));
    assertThat(FrameScanner.type(snapshot)).isEqualTo(FrameScanner.SNAPSHOT);
    assertThat(read(snapshot)).isEmpty();
    assertThat(read(ServerEventCodec.encode(ServerEvents.pong("u-1", SENT)))).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"1970-01-01T00:00:00.000Z", "2000-02-29T12:34:56.789Z", "2026-12-31T23:59:59.999Z",
      "2100-03-01T00:00:00.001Z", "2026-06-15T08:00:00.5+02:00"})
  @DisplayName("instants read fast in the wire's format, and correctly in any other")
  void instants(String text) {
    assertThat(FrameScanner.instantAt("\"" + text + "\"", 1))
        .isEqualTo(java.time.OffsetDateTime.parse(text).toInstant().toEpochMilli());
  }

  private static List<Map.Entry<String, Long>> read(String frame) {
    List<Map.Entry<String, Long>> entities = new ArrayList<>();
    FrameScanner.entities(frame, FrameScanner.type(frame), (kind, at) -> entities.add(Map.entry(kind, at)));
    return entities;
  }

  private static Position position(String symbol, Instant at, boolean fill) {
    return new Position(symbol, BigDecimal.TEN, new BigDecimal("100.50"), new BigDecimal("100.00"), null, null, null,
        PositionSide.LONG, fill ? PortfolioLoad.FILL_STRATEGY : null, ORDERED, at, 3L);
  }

  private static Order order(Instant at) {
    return new Order("o-" + at.toEpochMilli(), null, "S0", OrderSide.BUY, OrderType.MARKET, TimeInForce.DAY,
        OrderStatus.NEW, BigDecimal.ONE, BigDecimal.ZERO, null, null, null, SENT, null, null, null, null, at, 1L);
  }

  private static Trade trade(Instant at) {
    return new Trade("t-" + at.toEpochMilli(), null, "S0", OrderSide.BUY, BigDecimal.ONE, new BigDecimal("100.00"),
        null, at, null);
  }

  private static Account account(Instant at) {
    return new Account(new BigDecimal("100000.00"), new BigDecimal("200000.00"), new BigDecimal("50000.00"),
        new BigDecimal("100000.00"), BigDecimal.ZERO, BigDecimal.ZERO, new BigDecimal("100000.00"), at, 2L);
  }
}
