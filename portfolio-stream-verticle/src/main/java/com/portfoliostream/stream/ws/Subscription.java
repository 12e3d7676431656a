package com.portfoliostream.stream.ws;

import com.portfoliostream.events.model.Channel;
import com.portfoliostream.events.model.Order;
import com.portfoliostream.events.model.PortfolioFrame;
import com.portfoliostream.events.model.Position;
import com.portfoliostream.events.model.Trade;
import com.portfoliostream.events.protocol.ClientMessage;
import com.portfoliostream.events.protocol.ErrorCode;
import com.portfoliostream.events.protocol.EventType;
import com.portfoliostream.events.protocol.ProtocolError;
import com.portfoliostream.events.protocol.ServerEvent;
import com.portfoliostream.stream.batch.PendingFrame;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * What one socket wants: a set of channels, and a symbol filter that narrows positions, orders
 * and trades (never the account). A new socket wants nothing until it subscribes.
 *
 * <p>{@code subscribe} adds channels; with symbols it adds them to the filter (the first symbols
 * turn "every symbol" into "these symbols"). {@code unsubscribe} without symbols removes channels;
 * with symbols it removes those symbols from the filter and leaves the channels.
 */
final class Subscription {

  private final Set<Channel> channels = EnumSet.noneOf(Channel.class);
  /** Null means every symbol. */
  private Set<String> symbols;

  Set<Channel> channels() {
    return Set.copyOf(channels);
  }

  /** Null means every symbol. */
  Set<String> symbols() {
    return symbols == null ? null : Set.copyOf(symbols);
  }

  void apply(ClientMessage.Subscribe subscribe) {
    channels.addAll(subscribe.channels());
    subscribe.symbols().ifPresent(added -> {
      if (symbols == null) {
        symbols = new TreeSet<>();
      }
      symbols.addAll(added);
    });
  }

  /** Empty when applied; the error when the request cannot be honoured. */
  Optional<ProtocolError> apply(ClientMessage.Unsubscribe unsubscribe) {
    if (unsubscribe.symbols().isEmpty()) {
      channels.removeAll(unsubscribe.channels());
      return Optional.empty();
    }
    if (symbols == null) {
      return Optional.of(new ProtocolError(ErrorCode.SUBSCRIPTION_FAILED,
          "Subscribed to every symbol: subscribe with symbols to narrow instead",
          Map.of("symbols", List.copyOf(unsubscribe.symbols().get()))));
    }
    symbols.removeAll(unsubscribe.symbols().get());
    return Optional.empty();
  }

  /** The part of {@code event} this socket wants, if any. Control events always pass. */
  Optional<ServerEvent> filter(ServerEvent event) {
    return switch (event.type()) {
      case POSITION_UPDATE -> wants(Channel.POSITIONS, ((Position) event.data()).symbol(), event);
      case ORDER_UPDATE -> wants(Channel.ORDERS, ((Order) event.data()).symbol(), event);
      case TRADE_EXECUTED -> wants(Channel.TRADES, ((Trade) event.data()).symbol(), event);
      case ACCOUNT_UPDATE -> channels.contains(Channel.ACCOUNT) ? Optional.of(event) : Optional.empty();
      case BATCH, SNAPSHOT -> filterFrame(event);
      case INFO, PONG, ERROR -> Optional.of(event);
    };
  }

  private Optional<ServerEvent> wants(Channel channel, String symbol, ServerEvent event) {
    return channels.contains(channel) && symbolWanted(symbol) ? Optional.of(event) : Optional.empty();
  }

  private boolean symbolWanted(String symbol) {
    return symbols == null || symbols.contains(symbol);
  }

  private Optional<ServerEvent> filterFrame(ServerEvent event) {
    if (symbols == null && channels.size() == Channel.values().length) {
      return Optional.of(event);
    }
    PortfolioFrame frame = (PortfolioFrame) event.data();
    PortfolioFrame filtered = new PortfolioFrame(
        keep(Channel.POSITIONS, frame.positions(), p -> symbolWanted(p.symbol())),
        keep(Channel.ORDERS, frame.orders(), o -> symbolWanted(o.symbol())),
        channels.contains(Channel.ACCOUNT) ? frame.account() : null,
        keep(Channel.TRADES, frame.trades(), t -> symbolWanted(t.symbol())));
    if (event.type() == EventType.BATCH && filtered.entityCount() <= 1) {
      return filtered.entityCount() == 0 ? Optional.empty() : Optional.of(single(event, filtered));
    }
    return Optional.of(new ServerEvent(event.type(), event.timestamp(), event.userId(), null, filtered));
  }

  /** A batch this socket sees only one entity of goes to it as that entity's typed event. */
  private static ServerEvent single(ServerEvent batch, PortfolioFrame frame) {
    PendingFrame one = new PendingFrame(1);
    one.add(new ServerEvent(EventType.BATCH, batch.timestamp(), batch.userId(), null, frame), batch.timestamp());
    return one.drain(batch.userId(), batch.timestamp());
  }

  private <T> List<T> keep(Channel channel, List<T> items, Predicate<T> wanted) {
    if (items == null || !channels.contains(channel)) {
      return null;
    }
    return items.stream().filter(wanted).toList();
  }
}
