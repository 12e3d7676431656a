package com.portfoliostream.ingest.publish;

import com.portfoliostream.common.bus.UserEventBus;
import com.portfoliostream.common.bus.UserEventBus.Meta;
import com.portfoliostream.events.model.Account;
import com.portfoliostream.events.model.Position;
import com.portfoliostream.events.protocol.ServerEvents;
import com.portfoliostream.ingest.fills.LedgerEntry;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Publishes what ingest changed to the owner's address only, stamped with the broker time of the
 * event that caused it: order, trade and position for a fill (marked as fill-caused, so the edge
 * sends them at once), account balances after them.
 */
public final class LedgerPublisher {

  private final Vertx vertx;
  private final Clock clock;

  public LedgerPublisher(Vertx vertx, Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
  }

  public void publish(LedgerEntry entry) {
    String user = entry.userId().toString();
    Instant now = clock.instant();
    boolean fill = entry.trade().isPresent();
    Meta meta = fill ? Meta.fill(entry.brokerTime()) : Meta.of(entry.brokerTime());
    entry.order().ifPresent(order -> UserEventBus.publish(vertx, ServerEvents.orderUpdate(user, order, now), meta));
    entry.trade().ifPresent(trade -> UserEventBus.publish(vertx, ServerEvents.tradeExecuted(user, trade, now), meta));
    entry.position().ifPresent(position -> position(entry.userId(), position, meta));
  }

  /** Tells position sync that {@code accountId}'s holdings changed, so it revalues them with market data. */
  public void holdingsChanged(UUID accountId) {
    vertx.eventBus().publish(com.portfoliostream.events.protocol.BusAddresses.HOLDINGS_CHANGED, accountId.toString());
  }

  public void position(UUID userId, Position position, Meta meta) {
    String user = userId.toString();
    UserEventBus.publish(vertx, ServerEvents.positionUpdate(user, position, clock.instant()), meta);
  }

  public void account(UUID userId, Account account, Meta meta) {
    String user = userId.toString();
    UserEventBus.publish(vertx, ServerEvents.accountUpdate(user, account, clock.instant()), meta);
  }
}
