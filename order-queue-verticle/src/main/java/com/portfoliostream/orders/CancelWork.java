package com.portfoliostream.orders;

import com.portfoliostream.broker.alpaca.AlpacaOrder;
import com.portfoliostream.broker.rest.AlpacaApiException;
import com.portfoliostream.broker.rest.AlpacaCredentials;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Optional;

/**
 * One attempt at a cancel. It waits while the order's submission is still under way (a cancel must
 * not overtake it); an order the broker never received is canceled here; otherwise the broker is
 * asked to cancel and reports {@code canceled} on its trading stream, which ingest applies. A
 * refusal (the order filled meanwhile) puts the order back to working and says so to the user.
 */
final class CancelWork {

  /** How soon a cancel waiting for its order's submission looks again. */
  static final Duration SUBMISSION_WAIT = Duration.ofMillis(200);

  private final BrokerAttempts broker;
  private final JobQueue queue;

  CancelWork(BrokerAttempts broker, JobQueue queue) {
    this.broker = broker;
    this.queue = queue;
  }

  Future<JobOutcome> attempt(ClaimedJob job, JobOrder order, AlpacaCredentials credentials) {
    if (order.order().status().isTerminal()) {
      return Future.succeededFuture(JobOutcome.done(null, "the order was " + order.order().status().wire() + " already"));
    }
    return queue.submitStatus(order.id()).compose(submission -> {
      if (submission.isPresent() && submission.get().pending()) {
        return Future.succeededFuture(JobOutcome.waitFor("waiting for the order's submission", SUBMISSION_WAIT));
      }
      return brokerOrderId(credentials, order).compose(id -> id.isEmpty()
          ? Future.succeededFuture(JobOutcome.done(OrderChange.canceledUnsubmitted(order.id()),
              "the broker never had the order"))
          : cancelAtBroker(job, order, credentials, id.get()));
    }).recover(e -> Future.succeededFuture(broker.retryOrGiveUp(job, e, OrderChange.cancelRefused(order.id()))));
  }

  private Future<Optional<String>> brokerOrderId(AlpacaCredentials credentials, JobOrder order) {
    if (order.order().brokerOrderId() != null) {
      return Future.succeededFuture(Optional.of(order.order().brokerOrderId()));
    }
    return broker.lookUp(credentials, order).map(found -> found.map(AlpacaOrder::id));
  }

  private Future<JobOutcome> cancelAtBroker(ClaimedJob job, JobOrder order, AlpacaCredentials credentials,
      String brokerOrderId) {
    return broker.rest().cancelOrder(credentials, brokerOrderId)
        .map(v -> JobOutcome.done(null))
        .recover(failure -> Future.succeededFuture(BrokerAttempts.retryable(failure)
            ? broker.retryOrGiveUp(job, failure, OrderChange.cancelRefused(order.id()))
            : JobOutcome.done(OrderChange.cancelRefused(order.id()), BrokerAttempts.describe(failure))
                .refused(((AlpacaApiException) failure).brokerMessage())));
  }
}
