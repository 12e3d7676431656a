package com.portfoliostream.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.portfoliostream.common.db.PgPools;
import com.portfoliostream.common.orders.OrderJobKind;
import com.portfoliostream.common.orders.OrderJobStatus;
import com.portfoliostream.events.model.OrderStatus;
import com.portfoliostream.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The order_jobs work queue against a real PostgreSQL (embedded, demo seeded). Jobs are written the
 * way the edge writes them (order and submit job in one transaction); the queue is emptied before
 * each test.
 */
@DisplayName("The order job queue")
class JobQueueTest {

  private static final Duration LONG_LEASE = Duration.ofMinutes(5);
  private static TestDatabase database;
  private static Vertx vertx;
  private static Pool pool;
  private static UUID alice;
  private final JobQueue workerA = new JobQueue(pool, "worker-a", LONG_LEASE);
  private final JobQueue workerB = new JobQueue(pool, "worker-b", LONG_LEASE);

  @BeforeAll
  static void start() throws Exception {
    database = TestDatabase.start();
    vertx = Vertx.vertx();
    pool = PgPools.create(vertx, database.database().url(), 6);
    database.seedDemo(vertx, pool);
    alice = await(pool.preparedQuery("SELECT id FROM users WHERE username = 'alice'").execute()).iterator().next()
        .getUUID("id");
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
    database.close();
  }

  @BeforeEach
  void emptyQueue() throws Exception {
    await(pool.query("DELETE FROM order_jobs").execute());
  }

  @Test
  @DisplayName("a queued job is claimed running under the worker's lease, its attempt counted")
  void claimTakesQueuedJob() throws Exception {
    UUID order = placeOrder();

    List<ClaimedJob> claimed = await(workerA.claim(10));

    assertThat(claimed).singleElement().satisfies(job -> {
      assertThat(job.orderId()).isEqualTo(order);
      assertThat(job.kind()).isEqualTo(OrderJobKind.SUBMIT);
      assertThat(job.attempts()).isEqualTo(1);
      assertThat(job.triedBefore()).isFalse();
    });
    Row row = job(order);
    assertThat(row.getString("status")).isEqualTo(OrderJobStatus.RUNNING.sql());
    assertThat(row.getString("lease_owner")).isEqualTo("worker-a");
  }

  @Test
  @DisplayName("a claim takes at most the number asked for, oldest first")
  void claimHonoursMaxAndOrder() throws Exception {
    UUID first = placeOrder();
    UUID second = placeOrder();
    placeOrder();

    assertThat(await(workerA.claim(2))).extracting(ClaimedJob::orderId).containsExactly(first, second);
  }

  @Test
  @DisplayName("a job under a live lease is not claimed by another worker")
  void liveLeaseNotClaimedAgain() throws Exception {
    placeOrder();
    await(workerA.claim(10));

    assertThat(await(workerB.claim(10))).isEmpty();
  }

  @Test
  @DisplayName("two workers claiming at the same time never get the same job, and between them get every job")
  void concurrentClaimsDisjoint() throws Exception {
    Set<UUID> orders = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      orders.add(placeOrder());
    }
    List<Future<List<ClaimedJob>>> claims = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      claims.add((i % 2 == 0 ? workerA : workerB).claim(8));
    }
    await(Future.join(claims));

    List<UUID> claimed = new ArrayList<>();
    claims.forEach(c -> c.result().forEach(job -> claimed.add(job.orderId())));
    List<UUID> rest = await(workerA.claim(20)).stream().map(ClaimedJob::orderId).toList();
    claimed.addAll(rest);
    assertThat(claimed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(orders);
  }

  @Test
  @DisplayName("a job another transaction holds locked is skipped, not waited for")
  void lockedRowSkipped() throws Exception {
    UUID locked = placeOrder();
    UUID free = placeOrder();
    SqlConnection conn = await(pool.getConnection());
    try {
      Transaction tx = await(conn.begin());
      await(conn.preparedQuery("SELECT id FROM order_jobs WHERE order_id = $1 FOR UPDATE").execute(Tuple.of(locked)));

      List<ClaimedJob> claimed = await(workerA.claim(10), 5);

      assertThat(claimed).extracting(ClaimedJob::orderId).containsExactly(free);
      await(tx.rollback());
    } finally {
      await(conn.close());
    }
  }

  @Test
  @DisplayName("a lease that runs out makes the job claimable again, by another worker, as a new attempt")
  void expiredLeaseReclaimable() throws Exception {
    UUID order = placeOrder();
    JobQueue stalled = new JobQueue(pool, "worker-stalled", Duration.ofMillis(1));
    await(stalled.claim(10));

    List<ClaimedJob> taken = eventuallyClaim(workerB);

    assertThat(taken).singleElement().satisfies(job -> {
      assertThat(job.orderId()).isEqualTo(order);
      assertThat(job.attempts()).isEqualTo(2);
      assertThat(job.triedBefore()).isTrue();
    });
    assertThat(job(order).getString("lease_owner")).isEqualTo("worker-b");
  }

  @Test
  @DisplayName("a worker that lost its lease to another cannot finish the job: LeaseLost, and the job stays the other's")
  void finishAfterLeaseLost() throws Exception {
    UUID order = placeOrder();
    JobQueue stalled = new JobQueue(pool, "worker-stalled", Duration.ofMillis(1));
    ClaimedJob mine = await(stalled.claim(10)).get(0);
    eventuallyClaim(workerB);

    Throwable failure = failureOf(stalled.finish(mine, JobOutcome.done(null)));

    assertThat(failure).isInstanceOf(JobQueue.LeaseLost.class);
    assertThat(job(order).getString("status")).isEqualTo(OrderJobStatus.RUNNING.sql());
    assertThat(job(order).getString("lease_owner")).isEqualTo("worker-b");
  }

  @Test
  @DisplayName("finishing a held job marks it done and gives up the lease; nothing changes when the outcome has no change")
  void finishDone() throws Exception {
    UUID order = placeOrder();
    ClaimedJob claimed = await(workerA.claim(10)).get(0);

    assertThat(await(workerA.finish(claimed, JobOutcome.done(null, "a note")))).isEmpty();

    Row row = job(order);
    assertThat(row.getString("status")).isEqualTo(OrderJobStatus.DONE.sql());
    assertThat(row.getString("lease_owner")).isNull();
    assertThat(row.getString("last_error")).isEqualTo("a note");
    assertThat(await(workerB.claim(10))).isEmpty();
  }

  @Test
  @DisplayName("finishing with a change applies it to the order in the same transaction and returns the order and its user")
  void finishWithChange() throws Exception {
    UUID order = placeOrder();
    ClaimedJob claimed = await(workerA.claim(10)).get(0);

    Optional<JobQueue.Changed> changed = await(workerA.finish(claimed, JobOutcome.done(
        OrderChange.submitted(order, "broker-1", OffsetDateTime.now(), "new"))));

    assertThat(changed).hasValueSatisfying(c -> {
      assertThat(c.userId()).isEqualTo(alice);
      assertThat(c.order().brokerOrderId()).isEqualTo("broker-1");
      assertThat(c.order().status()).isEqualTo(OrderStatus.NEW);
    });
  }

  @Test
  @DisplayName("a job finished dead is not claimed again and keeps its error")
  void deadJobStaysDead() throws Exception {
    UUID order = placeOrder();
    ClaimedJob claimed = await(workerA.claim(10)).get(0);

    await(workerA.finish(claimed, JobOutcome.dead("gave up", null)));

    assertThat(job(order).getString("status")).isEqualTo(OrderJobStatus.DEAD.sql());
    assertThat(job(order).getString("last_error")).isEqualTo("gave up");
    assertThat(await(workerA.claim(10))).isEmpty();
  }

  @Test
  @DisplayName("a job put back to retry later is queued, not claimable before its time, and keeps its attempt")
  void retryLater() throws Exception {
    UUID order = placeOrder();
    ClaimedJob claimed = await(workerA.claim(10)).get(0);

    await(workerA.retry(claimed, JobOutcome.retry("broker down", Duration.ofMinutes(10))));

    Row row = job(order);
    assertThat(row.getString("status")).isEqualTo(OrderJobStatus.QUEUED.sql());
    assertThat(row.getInteger("attempts")).isEqualTo(1);
    assertThat(row.getString("last_error")).isEqualTo("broker down");
    assertThat(row.getString("lease_owner")).isNull();
    assertThat(await(workerB.claim(10))).isEmpty();
  }

  @Test
  @DisplayName("a job put back to retry at once is claimed again as its next attempt")
  void retryNow() throws Exception {
    placeOrder();
    await(workerA.retry(await(workerA.claim(10)).get(0), JobOutcome.retry("once more", Duration.ZERO)));

    assertThat(await(workerB.claim(10))).singleElement().extracting(ClaimedJob::attempts).isEqualTo(2);
  }

  @Test
  @DisplayName("a job that only waited gives its attempt back")
  void waitGivesAttemptBack() throws Exception {
    placeOrder();
    await(workerA.retry(await(workerA.claim(10)).get(0), JobOutcome.waitFor("submission first", Duration.ZERO)));

    assertThat(await(workerB.claim(10))).singleElement().extracting(ClaimedJob::attempts).isEqualTo(1);
  }

  @Test
  @DisplayName("a worker that does not hold the lease cannot put the job back: LeaseLost")
  void retryWithoutLease() throws Exception {
    UUID order = placeOrder();
    ClaimedJob claimed = await(workerA.claim(10)).get(0);

    Throwable failure = failureOf(workerB.retry(claimed, JobOutcome.retry("not mine", Duration.ZERO)));

    assertThat(failure).isInstanceOf(JobQueue.LeaseLost.class);
    assertThat(job(order).getString("lease_owner")).isEqualTo("worker-a");
  }

  @Test
  @DisplayName("the depth counts jobs queued and running, not those done or dead")
  void depthCountsOpenJobs() throws Exception {
    for (int i = 0; i < 4; i++) {
      placeOrder();
    }
    List<ClaimedJob> claimed = await(workerA.claim(3));
    await(workerA.finish(claimed.get(0), JobOutcome.done(null)));
    await(workerA.finish(claimed.get(1), JobOutcome.dead("no", null)));

    assertThat(await(workerA.depth())).isEqualTo(2L);
  }

  @Test
  @DisplayName("the submit job's status is read per order, and is empty for an order without one")
  void submitStatus() throws Exception {
    UUID order = placeOrder();

    assertThat(await(workerA.submitStatus(order))).contains(OrderJobStatus.QUEUED);
    assertThat(await(workerA.submitStatus(UUID.randomUUID()))).isEmpty();
  }

  @Test
  @DisplayName("a job's order is loaded with its account, user, and the client order id the broker knows it by")
  void loadsOrder() throws Exception {
    UUID order = placeOrder();

    JobOrder loaded = await(workerA.order(order));

    assertThat(loaded.id()).isEqualTo(order);
    assertThat(loaded.userId()).isEqualTo(alice);
    assertThat(loaded.accountId()).isNotNull();
    assertThat(loaded.clientOrderId()).isEqualTo(order.toString());
    assertThat(loaded.order().symbol()).isEqualTo("AAPL");
  }

  // --- helpers

  /**
   * An order (pending_new, a resting limit buy of alice's) and its queued submit job, written in one
   * transaction as the edge writes them, with our order id as the client order id.
   */
  private static UUID placeOrder() throws Exception {
    UUID order = UUID.randomUUID();
    await(pool.withTransaction(sql -> sql.preparedQuery("INSERT INTO orders (id, account_id, user_id, client_order_id, "
        + "symbol, side, type, time_in_force, qty, limit_price) "
        + "SELECT $1, a.id, a.user_id, $2, 'AAPL', 'buy', 'limit', 'gtc', 1, 1.00 FROM broker_accounts a "
        + "WHERE a.user_id = $3").execute(Tuple.of(order, order.toString(), alice))
        .compose(inserted -> sql.preparedQuery("INSERT INTO order_jobs (order_id, kind) VALUES ($1, $2)")
            .execute(Tuple.of(order, OrderJobKind.SUBMIT.sql())))));
    return order;
  }

  private static Row job(UUID order) throws Exception {
    return await(pool.preparedQuery("SELECT status, attempts, lease_owner, last_error FROM order_jobs "
        + "WHERE order_id = $1").execute(Tuple.of(order))).iterator().next();
  }

  /** Claims until the lapsed lease of another worker lets this one have the job. */
  private static List<ClaimedJob> eventuallyClaim(JobQueue worker) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      List<ClaimedJob> claimed = await(worker.claim(10));
      if (!claimed.isEmpty()) {
        return claimed;
      }
      assertThat(System.nanoTime()).as("the lease lapsed within 10 s").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  private static Throwable failureOf(Future<?> future) {
    Throwable thrown = catchThrowable(() -> await(future));
    return thrown instanceof ExecutionException ? thrown.getCause() : thrown;
  }

  private static <T> T await(Future<T> future) throws Exception {
    return await(future, 60);
  }

  private static <T> T await(Future<T> future, int seconds) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
  }
}
