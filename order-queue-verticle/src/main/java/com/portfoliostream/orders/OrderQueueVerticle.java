package com.portfoliostream.orders;

import com.portfoliostream.broker.BrokerSettings;
import com.portfoliostream.broker.accounts.BrokerAccountStore;
import com.portfoliostream.broker.rest.AlpacaRestClient;
import com.portfoliostream.common.NodeContext;
import com.portfoliostream.common.bus.UserEventBus;
import com.portfoliostream.common.bus.UserEventBus.Meta;
import com.portfoliostream.common.metrics.MetricNames;
import com.portfoliostream.common.orders.OrderJobKind;
import com.portfoliostream.events.model.OrderStatus;
import com.portfoliostream.events.protocol.BusAddresses;
import com.portfoliostream.events.protocol.InfoCode;
import com.portfoliostream.events.protocol.ServerEvents;
import com.portfoliostream.orders.JobQueue.Changed;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import com.portfoliostream.common.db.OutageLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code orders} role: up to ORDER_WORKERS jobs of the durable order queue at a time, claimed
 * from PostgreSQL as soon as the edge says jobs are ready (over the bus), and every
 * ORDER_POLL_INTERVAL_MS as a backstop. In memory there is never more than that many jobs: the
 * queue itself is the table, bounded by ORDER_QUEUE_LIMIT at the edge.
 */
public final class OrderQueueVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(OrderQueueVerticle.class);
  /** Longest a stopping node waits for its jobs in flight. */
  private static final Duration MAX_DRAIN = Duration.ofSeconds(20);
  private static final Duration DRAIN_CHECK = Duration.ofMillis(20);

  private final NodeContext node;
  private final Clock clock;
  private final AtomicLong depth = new AtomicLong();
  private final OutageLog claimLog = new OutageLog(LOG, "Claiming order jobs");
  private final OutageLog depthLog = new OutageLog(LOG, "Reading the order queue depth");
  private Gauge depthGauge;
  private OrderQueueSettings settings;
  private AlpacaRestClient rest;
  private JobQueue queue;
  private BrokerAccountStore accounts;
  private BrokerAttempts attempts;
  private SubmitWork submit;
  private CancelWork cancel;
  private MessageConsumer<Object> wakeUps;
  private long pollTimer;
  private int inFlight;
  private boolean claiming;
  private boolean claimAgain;
  private boolean stopping;

  public OrderQueueVerticle(NodeContext node) {
    this(node, Clock.systemUTC());
  }

  public OrderQueueVerticle(NodeContext node, Clock clock) {
    this.node = node;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    settings = OrderQueueSettings.from(node.config());
    BrokerSettings broker = BrokerSettings.from(node.config());
    rest = new AlpacaRestClient(vertx, broker.restUrl(), settings.brokerTimeout());
    String owner = node.nodeId() + "/" + UUID.randomUUID();
    queue = new JobQueue(node.pool(), owner, settings.lease());
    accounts = new BrokerAccountStore(node.pool(), node.cipher());
    attempts = new BrokerAttempts(rest, settings.retryBackoff(() -> ThreadLocalRandom.current().nextDouble()),
        settings.maxAttempts());
    submit = new SubmitWork(attempts);
    cancel = new CancelWork(attempts, queue);
    depthGauge = Gauge.builder(MetricNames.ORDER_QUEUE_DEPTH, depth, AtomicLong::get)
        .description("Order jobs waiting or running across the cluster").register(node.metrics());
    wakeUps = vertx.eventBus().consumer(BusAddresses.ORDER_JOBS_READY, message -> claim());
    pollTimer = vertx.setPeriodic(settings.pollInterval().toMillis(), id -> {
      claim();
      refreshDepth();
    });
    return wakeUps.completion().compose(v -> refreshDepth()).onSuccess(v -> {
      LOG.info("Order workers on node {}: {} at a time, lease {} s, {} attempts, broker REST {}", node.nodeId(),
          settings.workers(), settings.lease().toSeconds(), settings.maxAttempts(), broker.restUrl());
      claim();
    });
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(pollTimer);
    node.metrics().remove(depthGauge);
    long deadline = System.nanoTime() + Math.min(settings.lease().toNanos(), MAX_DRAIN.toNanos());
    return wakeUps.unregister().compose(v -> drained(deadline)).eventually(() -> {
      rest.close();
      return Future.succeededFuture();
    });
  }

  /**
   * Waits (a lease at most) for the jobs in flight to write their outcomes, so that a node that
   * stops gracefully leaves no job to wait for its lease to lapse.
   */
  private Future<Void> drained(long deadline) {
    if (inFlight == 0 || System.nanoTime() > deadline) {
      if (inFlight > 0) {
        LOG.warn("Stopping with {} order jobs in flight; another worker takes them over when their leases lapse", inFlight);
      }
      return Future.succeededFuture();
    }
    Promise<Void> later = Promise.promise();
    vertx.setTimer(DRAIN_CHECK.toMillis(), id -> drained(deadline).onComplete(later));
    return later.future();
  }

  private Future<Void> refreshDepth() {
    return queue.depth().onSuccess(depth::set).onSuccess(d -> depthLog.succeeded()).<Void>mapEmpty().recover(e -> {
      depthLog.failed(e);
      return Future.succeededFuture();
    });
  }

  /** Claims as many jobs as there are free workers; one claim at a time, another right after if asked meanwhile. */
  private void claim() {
    int free = settings.workers() - inFlight;
    if (stopping || free <= 0) {
      return;
    }
    if (claiming) {
      claimAgain = true;
      return;
    }
    claiming = true;
    queue.claim(free).onSuccess(jobs -> {
      claimLog.succeeded();
      if (jobs.size() == free) {
        claimAgain = true;
      }
      jobs.forEach(this::work);
    }).onFailure(claimLog::failed).onComplete(done -> {
      claiming = false;
      if (claimAgain) {
        claimAgain = false;
        claim();
      }
    });
  }

  private void work(ClaimedJob job) {
    inFlight++;
    queue.order(job.orderId())
        .compose(order -> accounts.byId(order.accountId())
            .compose(account -> job.kind() == OrderJobKind.CANCEL
                ? cancel.attempt(job, order, account.credentials())
                : submit.attempt(job, order, account.credentials()))
            .recover(e -> Future.succeededFuture(unexpected(job, e)))
            .compose(outcome -> record(job, outcome).onSuccess(v -> tellRefusal(order, outcome))),
            notLoaded -> record(job, unexpected(job, notLoaded)))
        .onFailure(e -> {
          if (e instanceof JobQueue.LeaseLost) {
            LOG.warn("Order job {} ({} of order {}): {}; its new worker finishes it", job.id(), job.kind(),
                job.orderId(), e.getMessage());
          } else {
            LOG.warn("Order job {} ({} of order {}): could not record the outcome, retried once its lease lapses: {}",
                job.id(), job.kind(), job.orderId(), e.getMessage());
          }
        })
        .onComplete(done -> {
          inFlight--;
          claim();
        });
  }

  /** Something other than the broker failed (the database, the account's credentials): retried like the broker. */
  private JobOutcome unexpected(ClaimedJob job, Throwable e) {
    LOG.warn("Order job {} ({} of order {}), attempt {}: {}", job.id(), job.kind(), job.orderId(), job.attempts(),
        e.toString());
    OrderChange onGiveUp = job.kind() == OrderJobKind.CANCEL ? OrderChange.cancelRefused(job.orderId())
        : OrderChange.refused(job.orderId(), OrderStatus.FAILED.wire(),
            "The order could not be placed: " + BrokerAttempts.describe(e));
    return attempts.retryOrGiveUp(job, e, onGiveUp);
  }

  private Future<Void> record(ClaimedJob job, JobOutcome outcome) {
    count(job, outcome);
    if (outcome.retries()) {
      if (!outcome.onlyWaited()) {
        LOG.info("Order job {} ({} of order {}), attempt {} failed, next in {} ms: {}", job.id(), job.kind(),
            job.orderId(), job.attempts(), outcome.retryAfter().toMillis(), outcome.error());
      }
      return queue.retry(job, outcome).onSuccess(v -> vertx.setTimer(Math.max(1, outcome.retryAfter().toMillis()),
          id -> claim()));
    }
    if (outcome.dead()) {
      LOG.error("Order job {} ({} of order {}) dead-lettered after {} attempts: {}", job.id(), job.kind(),
          job.orderId(), job.attempts(), outcome.error());
    }
    return queue.finish(job, outcome).onSuccess(changed -> changed.ifPresent(this::publish)).mapEmpty();
  }

  /** A refusal by the broker (a cancel of an order that filled meanwhile) is told to the user, with its reason. */
  private void tellRefusal(JobOrder order, JobOutcome outcome) {
    outcome.refusal().ifPresent(reason -> UserEventBus.publish(vertx, ServerEvents.notice(order.userId().toString(),
        InfoCode.CANCEL_REJECTED, "The " + order.order().symbol() + " order could not be canceled: " + reason,
        Map.of("orderId", order.order().orderId(), "symbol", order.order().symbol(), "reason", reason), clock.instant()),
        Meta.of(clock.instant())));
  }

  private void publish(Changed changed) {
    UserEventBus.publish(vertx, ServerEvents.orderUpdate(changed.userId().toString(), changed.order(), clock.instant()),
        Meta.of(changed.order().updatedAt()));
  }

  private void count(ClaimedJob job, JobOutcome outcome) {
    Counter.builder(MetricNames.ORDER_JOB_ATTEMPTS).tag(MetricNames.TAG_KIND, job.kind().sql())
        .tag(MetricNames.TAG_OUTCOME, outcome.counted().tag()).register(node.metrics()).increment();
  }
}
