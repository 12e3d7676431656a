package com.portfoliostream.orders;

import com.portfoliostream.common.orders.OrderJobKind;
import com.portfoliostream.common.orders.OrderJobStatus;
import com.portfoliostream.common.orders.OrderJobs;
import com.portfoliostream.common.portfolio.PortfolioRows;
import com.portfoliostream.events.model.Order;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code order_jobs} table as a work queue. A job is claimed under a lease; its outcome is
 * written only while the lease is still this worker's, in the same transaction as the change it
 * makes to the order, so a worker that lost its lease (it stalled, another took over) changes
 * nothing.
 */
final class JobQueue {

  /** The lease was lost before the outcome was written: another worker has the job now. */
  static final class LeaseLost extends RuntimeException {
    LeaseLost(long jobId) {
      super("lease of order job " + jobId + " lost", null, false, false);
    }
  }

  /** An order changed by a job's outcome, and whose it is. */
  record Changed(Order order, UUID userId) {}

  private final Pool pool;
  private final String owner;
  private final Duration lease;

  JobQueue(Pool pool, String owner, Duration lease) {
    this.pool = pool;
    this.owner = owner;
    this.lease = lease;
  }

  Future<List<ClaimedJob>> claim(int max) {
    return pool.preparedQuery(JobQueries.CLAIM).execute(Tuple.of(owner, (int) lease.toMillis(), max,
        OrderJobStatus.RUNNING.sql(), OrderJobStatus.QUEUED.sql())).map(rows -> {
      List<ClaimedJob> jobs = new ArrayList<>();
      for (Row row : rows) {
        jobs.add(new ClaimedJob(row.getLong("id"), row.getUUID("order_id"), OrderJobKind.fromSql(row.getString("kind")),
            row.getInteger("attempts")));
      }
      return jobs;
    });
  }

  Future<JobOrder> order(UUID orderId) {
    return pool.preparedQuery(JobQueries.LOAD_ORDER).execute(Tuple.of(orderId))
        .map(rows -> JobOrder.of(rows.iterator().next()));
  }

  /** The status of the order's submit job, empty when it has none (an order placed outside this service). */
  Future<Optional<OrderJobStatus>> submitStatus(UUID orderId) {
    return pool.preparedQuery(JobQueries.SUBMIT_JOB_STATUS).execute(Tuple.of(orderId, OrderJobKind.SUBMIT.sql()))
        .map(rows -> rows.size() == 0 ? Optional.empty()
            : Optional.of(OrderJobStatus.fromSql(rows.iterator().next().getString("status"))));
  }

  /** Writes a finished outcome; the order as changed, when it changed. Fails with {@link LeaseLost}. */
  Future<Optional<Changed>> finish(ClaimedJob job, JobOutcome outcome) {
    return pool.withTransaction(conn -> conn.preparedQuery(JobQueries.FINISH)
        .execute(Tuple.of(job.id(), owner, outcome.status().sql(), outcome.error(), OrderJobStatus.RUNNING.sql()))
        .compose(finished -> {
          if (finished.size() == 0) {
            return Future.failedFuture(new LeaseLost(job.id()));
          }
          if (outcome.change().isEmpty()) {
            return Future.succeededFuture(Optional.<Changed>empty());
          }
          OrderChange change = outcome.change().get();
          return conn.preparedQuery(change.sql()).execute(change.params()).map(rows -> rows.size() == 0
              ? Optional.<Changed>empty()
              : Optional.of(new Changed(PortfolioRows.order(rows.iterator().next()),
                  rows.iterator().next().getUUID("user_id"))));
        }));
  }

  /** Puts the job back to wait for its next attempt. Fails with {@link LeaseLost}. */
  Future<Void> retry(ClaimedJob job, JobOutcome outcome) {
    return pool.preparedQuery(JobQueries.RETRY)
        .execute(Tuple.of(job.id(), owner, (int) outcome.retryAfter().toMillis(), outcome.error(),
            outcome.onlyWaited() ? 1 : 0, OrderJobStatus.QUEUED.sql(), OrderJobStatus.RUNNING.sql()))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(new LeaseLost(job.id())) : Future.succeededFuture());
  }

  Future<Long> depth() {
    return OrderJobs.depth(pool);
  }
}
