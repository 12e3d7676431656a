package com.portfoliostream.events.protocol;

import com.portfoliostream.events.model.Account;
import com.portfoliostream.events.model.Channel;
import com.portfoliostream.events.model.Order;
import com.portfoliostream.events.model.PortfolioFrame;
import com.portfoliostream.events.model.Position;
import com.portfoliostream.events.model.Trade;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Factories for every server event, so no caller assembles an envelope by hand. */
public final class ServerEvents {

  private ServerEvents() {}

  public static ServerEvent positionUpdate(String userId, Position position, Instant now) {
    return event(EventType.POSITION_UPDATE, userId, position, now);
  }

  public static ServerEvent orderUpdate(String userId, Order order, Instant now) {
    return event(EventType.ORDER_UPDATE, userId, order, now);
  }

  public static ServerEvent accountUpdate(String userId, Account account, Instant now) {
    return event(EventType.ACCOUNT_UPDATE, userId, account, now);
  }

  public static ServerEvent tradeExecuted(String userId, Trade trade, Instant now) {
    return event(EventType.TRADE_EXECUTED, userId, trade, now);
  }

  public static ServerEvent batch(String userId, PortfolioFrame frame, Instant now) {
    return event(EventType.BATCH, userId, frame, now);
  }

  public static ServerEvent snapshot(String userId, PortfolioFrame frame, Instant now) {
    return event(EventType.SNAPSHOT, userId, frame, now);
  }

  public static ServerEvent pong(String userId, Instant now) {
    return event(EventType.PONG, userId, new PongPayload(), now);
  }

  public static ServerEvent error(String userId, ProtocolError error, Instant now) {
    return event(EventType.ERROR, userId, error.toPayload(), now);
  }

  /** The acknowledgement of a subscribe or unsubscribe, with the socket's subscription after it. */
  public static ServerEvent subscriptionInfo(
      String userId, InfoCode code, Set<Channel> channels, Set<String> symbols, Instant now) {
    List<Channel> ordered = channels.stream().sorted().toList();
    List<String> sortedSymbols = symbols == null ? null : symbols.stream().sorted().toList();
    String message = code == InfoCode.SUBSCRIBED ? "Subscribed" : "Unsubscribed";
    return event(EventType.INFO, userId,
        new InfoPayload(code, message, ordered, sortedSymbols, null), now);
  }

  /** A notice for every user, such as {@link InfoCode#DATA_STALE}. */
  public static ServerEvent notice(String userId, InfoCode code, String message,
      Map<String, Object> details, Instant now) {
    return event(EventType.INFO, userId, new InfoPayload(code, message, null, null, details), now);
  }

  private static ServerEvent event(EventType type, String userId, EventPayload data, Instant now) {
    return new ServerEvent(type, now, userId, null, data);
  }
}
