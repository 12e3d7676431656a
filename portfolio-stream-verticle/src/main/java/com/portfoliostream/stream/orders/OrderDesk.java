package com.portfoliostream.stream.orders;

import com.portfoliostream.common.orders.OrderJobKind;
import com.portfoliostream.common.orders.OrderJobStatus;
import com.portfoliostream.common.orders.OrderJobs;
import com.portfoliostream.common.portfolio.PortfolioRows;
import com.portfoliostream.events.model.Order;
import com.portfoliostream.events.model.OrderStatus;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

/**
 * Takes orders and cancel requests: the order and its job are written in one transaction, so an
 * order the caller was told about always has the work that will carry it to the broker. Every
 * statement is scoped to the calling user.
 */
public final class OrderDesk {

  /** What became of {@code POST /api/orders}. */
  public sealed interface Placement {}

  /** The order, new ({@code created}) or the one an earlier request with the same key made. */
  public record Placed(Order order, boolean created) implements Placement {}

  /** The caller has no broker account to trade in (an admin, say). */
  public record NoAccount() implements Placement {}

  /** The queue holds its limit of jobs already. */
  public record QueueFull(long depth) implements Placement {}

  /** The user placed their quota of orders in the last minute; one more is allowed in {@code retryAfterSeconds}. */
  public record RateLimited(int perMinute, long retryAfterSeconds) implements Placement {}

  /** The user holds their quota of open orders. */
  public record TooManyOpen(long open) implements Placement {}

  /** The idempotency key was used before for a different order. */
  public record KeyReused(Order original) implements Placement {}

  /** What became of {@code DELETE /api/orders/{id}}. */
  public sealed interface Cancellation {}

  /** No such order of the caller's. */
  public record NotFound() implements Cancellation {}

  /** The order is final already. */
  public record AlreadyFinal(Order order) implements Cancellation {}

  /** The order as it now is; {@code changed} when this request changed it, {@code queued} when a job waits. */
  public record CancelAccepted(Order order, boolean changed, boolean queued) implements Cancellation {}

  private static final String[] OPEN_STATUSES = Arrays.stream(OrderStatus.values())
      .filter(status -> !status.isTerminal()).map(OrderStatus::wire).toArray(String[]::new);

  private final Pool pool;
  private final int queueLimit;
  private final OrderJobs.UserQuota quota;

  public OrderDesk(Pool pool, int queueLimit, OrderJobs.UserQuota quota) {
    this.pool = pool;
    this.queueLimit = queueLimit;
    this.quota = quota;
  }

  public Future<Placement> place(UUID userId, NewOrder order, String idempotencyKey) {
    return pool.withTransaction(conn -> conn.preparedQuery(OrderQueries.ACCOUNT_OF_USER).execute(Tuple.of(userId))
        .compose(accounts -> {
          if (accounts.size() == 0) {
            return Future.succeededFuture(new NoAccount());
          }
          UUID account = accounts.iterator().next().getUUID("id");
          return earlier(conn, userId, order, idempotencyKey).compose(replay -> replay.isPresent()
              ? Future.succeededFuture(replay.get()) : insert(conn, account, userId, order, idempotencyKey));
        }));
  }

  private Future<Optional<Placement>> earlier(SqlConnection conn, UUID userId, NewOrder order, String key) {
    if (key == null) {
      return Future.succeededFuture(Optional.empty());
    }
    return conn.preparedQuery(OrderQueries.BY_IDEMPOTENCY_KEY).execute(Tuple.of(userId, key))
        .map(rows -> first(rows).map(PortfolioRows::order).map(found -> replayOf(order, found)));
  }

  private static Placement replayOf(NewOrder order, Order found) {
    return order.sameAs(found) ? new Placed(found, false) : new KeyReused(found);
  }

  /** The user's quotas first (their account row is locked, so this is exact), then the shared queue's. */
  private Future<Placement> insert(SqlConnection conn, UUID account, UUID userId, NewOrder order, String key) {
    return conn.preparedQuery(OrderQueries.USER_ORDER_COUNTS).execute(Tuple.of(userId).addArrayOfString(OPEN_STATUSES))
        .compose(rows -> {
          Row counts = rows.iterator().next();
          if (counts.getLong("last_minute") >= quota.perMinute()) {
            Number freesIn = (Number) counts.getValue("frees_in");
            long seconds = Math.max(1, (long) Math.ceil(freesIn == null ? 60 : freesIn.doubleValue()));
            return Future.succeededFuture(new RateLimited(quota.perMinute(), seconds));
          }
          if (counts.getLong("open") >= quota.open()) {
            return Future.succeededFuture(new TooManyOpen(counts.getLong("open")));
          }
          return queued(conn, account, userId, order, key);
        });
  }

  private Future<Placement> queued(SqlConnection conn, UUID account, UUID userId, NewOrder order, String key) {
    return OrderJobs.depth(conn).compose(waiting -> {
      if (waiting >= queueLimit) {
        return Future.succeededFuture(new QueueFull(waiting));
      }
      UUID id = UUID.randomUUID();
      Tuple values = Tuple.from(new Object[] {id, account, userId, key, order.symbol(), order.side().wire(),
          order.type().wire(), order.timeInForce().wire(), order.qty(), order.limitPrice(), order.stopPrice(),
          order.strategyId(), id.toString()});
      return conn.preparedQuery(OrderQueries.INSERT_ORDER).execute(values).compose(inserted -> {
        if (inserted.size() == 0) {
          // A concurrent request with the same key won the insert; it has committed by now.
          return conn.preparedQuery(OrderQueries.BY_IDEMPOTENCY_KEY).execute(Tuple.of(userId, key))
              .map(rows -> replayOf(order, PortfolioRows.order(rows.iterator().next())));
        }
        Order created = PortfolioRows.order(inserted.iterator().next());
        return conn.preparedQuery(OrderQueries.INSERT_SUBMIT_JOB).execute(Tuple.of(id, OrderJobKind.SUBMIT.sql()))
            .map(job -> new Placed(created, true));
      });
    });
  }

  /**
   * Asks for a cancel. An order no worker has tried to submit yet is canceled here and then (the
   * broker never heard of it); any other open order gets a cancel job and shows
   * {@code pending_cancel} until the broker answers.
   */
  public Future<Cancellation> cancel(UUID userId, UUID orderId) {
    return pool.withTransaction(conn -> conn.preparedQuery(OrderQueries.ORDER_OF_USER_FOR_UPDATE)
        .execute(Tuple.of(orderId, userId)).compose(rows -> {
          Optional<Order> found = first(rows).map(PortfolioRows::order);
          if (found.isEmpty()) {
            return Future.succeededFuture(new NotFound());
          }
          Order order = found.get();
          if (order.status().isTerminal()) {
            return Future.succeededFuture(new AlreadyFinal(order));
          }
          return conn.preparedQuery(OrderQueries.JOB_FOR_UPDATE).execute(Tuple.of(orderId, OrderJobKind.SUBMIT.sql()))
              .compose(job -> untriedSubmission(job)
                  ? cancelUnsubmitted(conn, job.iterator().next().getLong("id"), orderId)
                  : queueCancel(conn, order));
        }));
  }

  private static boolean untriedSubmission(RowSet<Row> job) {
    if (job.size() == 0) {
      return false;
    }
    Row row = job.iterator().next();
    return OrderJobStatus.QUEUED.sql().equals(row.getString("status")) && row.getInteger("attempts") == 0;
  }

  private Future<Cancellation> cancelUnsubmitted(SqlConnection conn, long jobId, UUID orderId) {
    return conn.preparedQuery(OrderQueries.DROP_UNTRIED_SUBMIT)
        .execute(Tuple.of(jobId, OrderJobStatus.DONE.sql(), OrderJobStatus.QUEUED.sql()))
        .compose(v -> conn.preparedQuery(OrderQueries.CANCEL_UNSUBMITTED).execute(Tuple.of(orderId)))
        .map(rows -> new CancelAccepted(PortfolioRows.order(rows.iterator().next()), true, false));
  }

  private Future<Cancellation> queueCancel(SqlConnection conn, Order order) {
    UUID id = UUID.fromString(order.orderId());
    return conn.preparedQuery(OrderQueries.UPSERT_CANCEL_JOB).execute(Tuple.of(id, OrderJobKind.CANCEL.sql(),
        OrderJobStatus.QUEUED.sql(), OrderJobStatus.DONE.sql(), OrderJobStatus.DEAD.sql())).compose(job -> {
      if (job.size() == 0 && order.status() == OrderStatus.PENDING_CANCEL) {
        return Future.succeededFuture(new CancelAccepted(order, false, true));
      }
      return conn.preparedQuery(OrderQueries.MARK_PENDING_CANCEL).execute(Tuple.of(id))
          .map(rows -> new CancelAccepted(PortfolioRows.order(rows.iterator().next()), true, job.size() > 0));
    });
  }

  public Future<Optional<Order>> find(UUID userId, UUID orderId) {
    return pool.preparedQuery(OrderQueries.ORDER_OF_USER).execute(Tuple.of(orderId, userId))
        .map(rows -> first(rows).map(PortfolioRows::order));
  }

  private static Optional<Row> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next());
  }
}
