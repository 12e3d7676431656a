package com.portfoliostream.stream.portfolio;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.events.model.Channel;
import com.portfoliostream.events.model.PortfolioFrame;
import com.portfoliostream.testkit.Fixtures;
import com.portfoliostream.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The node's snapshot loader against a real PostgreSQL, held up where a test needs it with a table lock. */
@DisplayName("The snapshot loader")
class SnapshotLoaderTest {

  static TestDatabase database;
  static Vertx vertx;
  static Pool pool;
  static UUID alice;
  static UUID bob;

  @BeforeAll
  static void start() throws Exception {
    database = TestDatabase.start();
    vertx = Vertx.vertx();
    pool = database.pool(vertx);
    database.seedDemo(vertx, pool);
    alice = Fixtures.userId(pool, "alice");
    bob = Fixtures.userId(pool, "bob");
  }

  @AfterAll
  static void stop() throws Exception {
    pool.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(30, TimeUnit.SECONDS);
    database.close();
  }

  @Test
  @DisplayName("50 sockets of one user asking at once cost two reads (one running, one shared by the 49 queued), and every one gets the positions")
  void queuedRequestsShareOneRead() throws Exception {
    SnapshotLoader loader = new SnapshotLoader(vertx, new PortfolioReader(pool), Clock.systemUTC(), 1, 100);
    Promise<List<PortfolioFrame>> all = Promise.promise();
    vertx.runOnContext(v -> {
      List<Future<PortfolioFrame>> loads = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        loads.add(loader.load(alice, Set.of(Channel.POSITIONS), 10_000));
      }
      Future.all(loads).map(done -> loads.stream().map(Future::result).toList()).onComplete(all);
    });

    List<PortfolioFrame> frames = all.future().await(10, TimeUnit.SECONDS);
    assertThat(frames).hasSize(50).allSatisfy(frame -> assertThat(frame.positions()).hasSize(4));
    assertThat(loader.counts()).containsEntry("loaded", 2L).containsEntry("shared", 48L);
  }

  @Test
  @DisplayName("a read held up past its deadline fails as Missed, the queue beyond its bound refuses at once, and both recover when the database answers")
  void deadlineAndBound() throws Exception {
    SnapshotLoader loader = new SnapshotLoader(vertx, new PortfolioReader(pool), Clock.systemUTC(), 1, 1);
    SqlConnection blocker = pool.getConnection().await(10, TimeUnit.SECONDS);
    Transaction lock = blocker.begin().await(10, TimeUnit.SECONDS);
    blocker.query("LOCK TABLE positions IN ACCESS EXCLUSIVE MODE").execute().await(10, TimeUnit.SECONDS);
    try {
      Future<PortfolioFrame> running = onLoop(() -> loader.load(alice, Set.of(Channel.POSITIONS), 300));
      Future<PortfolioFrame> queued = onLoop(() -> loader.load(bob, Set.of(Channel.POSITIONS), 300));
      Future<PortfolioFrame> overBound = onLoop(() -> loader.load(bob, Set.of(Channel.ORDERS), 300));

      assertThat(failure(overBound)).isInstanceOf(SnapshotLoader.Missed.class).hasMessageContaining("loading 1 snapshots");
      assertThat(failure(running)).isInstanceOf(SnapshotLoader.Missed.class).hasMessageContaining("300 ms");
      assertThat(failure(queued)).isInstanceOf(SnapshotLoader.Missed.class);
      assertThat(loader.counts()).as("the expired queued read left the queue").containsEntry("queued", 0L);
    } finally {
      lock.commit().await(10, TimeUnit.SECONDS);
      blocker.close().await(10, TimeUnit.SECONDS);
    }
    PortfolioFrame later = onLoop(() -> loader.load(bob, Set.of(Channel.POSITIONS), 5_000)).await(10, TimeUnit.SECONDS);
    assertThat(later.positions()).isNotEmpty();
  }

  private static <T> Future<T> onLoop(java.util.function.Supplier<Future<T>> call) throws Exception {
    Promise<Future<T>> started = Promise.promise();
    vertx.runOnContext(v -> started.complete(call.get()));
    return started.future().await(10, TimeUnit.SECONDS);
  }

  private static Throwable failure(Future<?> future) {
    try {
      future.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      return e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    }
    throw new AssertionError("expected a failure, got " + future.result());
  }
}
