package com.portfoliostream.stream.portfolio;

import com.portfoliostream.common.portfolio.PortfolioRows;
import com.portfoliostream.events.model.Account;
import com.portfoliostream.events.model.Channel;
import com.portfoliostream.events.model.Order;
import com.portfoliostream.events.model.OrderStatus;
import com.portfoliostream.events.model.PortfolioFrame;
import com.portfoliostream.events.model.Position;
import com.portfoliostream.events.model.Trade;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Reads one user's portfolio from PostgreSQL, the source of truth: for REST and for the snapshot
 * that follows every subscribe.
 */
public final class PortfolioReader {

  /** "Today" is the US equity trading day. */
  public static final ZoneId MARKET_ZONE = ZoneId.of("America/New_York");
  /** No answer lists more rows than this; clients page with {@code since}. */
  public static final int MAX_ROWS = 500;
  private static final String[] TERMINAL = Arrays.stream(OrderStatus.values())
      .filter(OrderStatus::isTerminal).map(OrderStatus::wire).toArray(String[]::new);

  /** Which orders a REST caller wants. */
  public enum OrderFilter { OPEN, CLOSED, ALL }

  private final Pool pool;

  public PortfolioReader(Pool pool) {
    this.pool = pool;
  }

  public Future<List<Position>> positions(UUID userId) {
    return list(PortfolioQueries.POSITIONS, Tuple.of(userId), PortfolioRows::position);
  }

  public Future<List<Order>> orders(UUID userId, OrderFilter filter) {
    String sql = switch (filter) {
      case OPEN -> PortfolioQueries.OPEN_ORDERS;
      case CLOSED -> PortfolioQueries.CLOSED_ORDERS;
      case ALL -> PortfolioQueries.ALL_ORDERS;
    };
    return list(sql, Tuple.of(userId, TERMINAL, MAX_ROWS), PortfolioRows::order);
  }

  /** Open orders and all of today's. */
  public Future<List<Order>> ordersForSnapshot(UUID userId, Instant now) {
    return list(PortfolioQueries.SNAPSHOT_ORDERS,
        Tuple.of(userId, TERMINAL, MAX_ROWS, startOfTradingDay(now).atOffset(ZoneOffset.UTC)),
        PortfolioRows::order);
  }

  /** Empty for a user without a broker account yet. */
  public Future<Optional<Account>> account(UUID userId) {
    return pool.preparedQuery(PortfolioQueries.ACCOUNT).execute(Tuple.of(userId))
        .map(rows -> rows.size() == 0 ? Optional.empty()
            : Optional.of(PortfolioRows.account(rows.iterator().next())));
  }

  public Future<List<Trade>> trades(UUID userId, Instant since) {
    return list(PortfolioQueries.TRADES,
        Tuple.of(userId, since.atOffset(ZoneOffset.UTC), MAX_ROWS), PortfolioRows::trade);
  }

  /** The full current state of the given channels; other channels stay null in the frame. */
  public Future<PortfolioFrame> snapshot(UUID userId, Set<Channel> channels, Instant now) {
    Future<List<Position>> positions = channels.contains(Channel.POSITIONS) ? positions(userId) : none();
    Future<List<Order>> orders = channels.contains(Channel.ORDERS) ? ordersForSnapshot(userId, now) : none();
    Future<Optional<Account>> account = channels.contains(Channel.ACCOUNT)
        ? account(userId) : Future.succeededFuture(Optional.empty());
    Future<List<Trade>> trades = channels.contains(Channel.TRADES)
        ? trades(userId, startOfTradingDay(now)) : none();
    return Future.all(positions, orders, account, trades).map(done -> new PortfolioFrame(
        positions.result(), orders.result(), account.result().orElse(null), trades.result()));
  }

  public static Instant startOfTradingDay(Instant now) {
    return LocalDate.ofInstant(now, MARKET_ZONE).atStartOfDay(MARKET_ZONE).toInstant();
  }

  private static <T> Future<List<T>> none() {
    return Future.succeededFuture(null);
  }

  private <T> Future<List<T>> list(String sql, Tuple params, Function<Row, T> mapper) {
    return pool.preparedQuery(sql).execute(params).map(rows -> map(rows, mapper));
  }

  private static <T> List<T> map(RowSet<Row> rows, Function<Row, T> mapper) {
    List<T> result = new ArrayList<>(rows.size());
    rows.forEach(row -> result.add(mapper.apply(row)));
    return result;
  }
}
