package com.portfoliostream.orders;

import com.portfoliostream.broker.alpaca.AlpacaOrder;
import com.portfoliostream.broker.alpaca.OrderRequest;
import com.portfoliostream.broker.rest.AlpacaApiException;
import com.portfoliostream.broker.rest.AlpacaCredentials;
import com.portfoliostream.events.model.Order;
import com.portfoliostream.events.model.OrderStatus;
import io.vertx.core.Future;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;

/**
 * One attempt at handing an order to the broker, never placing it twice: the client order id is our
 * order id, and whenever an earlier attempt may have reached the broker (a retry, a takeover from a
 * dead worker, a timeout, a 5xx or 429) the broker is asked for that id before anything is sent.
 */
final class SubmitWork {

  /** Statuses the broker's answer to a submission may give the order; later ones come with ingest's fills. */
  private static final Set<String> ACCEPTED = Set.of("pending_new", "new", "accepted", "accepted_for_bidding");

  private final BrokerAttempts broker;

  SubmitWork(BrokerAttempts broker) {
    this.broker = broker;
  }

  Future<JobOutcome> attempt(ClaimedJob job, JobOrder order, AlpacaCredentials credentials) {
    Order current = order.order();
    if (current.brokerOrderId() != null
        || current.status() != OrderStatus.PENDING_NEW && current.status() != OrderStatus.PENDING_CANCEL) {
      return Future.succeededFuture(JobOutcome.done(null, "the broker had the order already"));
    }
    if (current.status() == OrderStatus.PENDING_CANCEL) {
      // Canceled before it reached the broker: submit nothing, unless an earlier attempt got through.
      return broker.lookUp(credentials, order)
          .map(found -> JobOutcome.done(found.map(b -> submitted(order, b))
              .orElse(OrderChange.canceledUnsubmitted(order.id())), "canceled before submission"))
          .recover(e -> Future.succeededFuture(broker.retryOrGiveUp(job, e, OrderChange.canceledUnsubmitted(order.id()))));
    }
    Future<Optional<AlpacaOrder>> known = job.triedBefore() ? broker.lookUp(credentials, order)
        : Future.succeededFuture(Optional.empty());
    return known.compose(found -> found.isPresent()
            ? Future.succeededFuture(JobOutcome.done(submitted(order, found.get())))
            : submit(job, order, credentials))
        .recover(e -> Future.succeededFuture(broker.retryOrGiveUp(job, e, failed(order, e))));
  }

  private Future<JobOutcome> submit(ClaimedJob job, JobOrder order, AlpacaCredentials credentials) {
    Order o = order.order();
    OrderRequest request = new OrderRequest(o.symbol(), o.qty(), o.side().wire(), o.type().wire(),
        o.timeInForce().wire(), o.limitPrice(), o.stopPrice(), order.clientOrderId());
    return broker.rest().submitOrder(credentials, request)
        .map(placed -> JobOutcome.done(submitted(order, placed)))
        .recover(failure -> afterFailedSubmit(job, order, credentials, failure));
  }

  /**
   * The broker said no, or nothing. Either way it is asked whether it has the order after all (a
   * duplicate client order id, an answer lost on the way back); only then is the order rejected
   * with the broker's reason, or the job retried.
   */
  private Future<JobOutcome> afterFailedSubmit(ClaimedJob job, JobOrder order, AlpacaCredentials credentials,
      Throwable failure) {
    return broker.lookUp(credentials, order)
        .map(found -> found.map(placed -> JobOutcome.done(submitted(order, placed)))
            .orElseGet(() -> notPlaced(job, order, failure)))
        .recover(lookupFailure -> Future.succeededFuture(notPlaced(job, order, failure)));
  }

  /** The broker does not have the order: rejected with its reason when it said no, else another attempt. */
  private JobOutcome notPlaced(ClaimedJob job, JobOrder order, Throwable failure) {
    if (BrokerAttempts.retryable(failure)) {
      return broker.retryOrGiveUp(job, failure, failed(order, failure));
    }
    String reason = ((AlpacaApiException) failure).brokerMessage();
    return JobOutcome.done(OrderChange.refused(order.id(), OrderStatus.REJECTED.wire(), reason),
        BrokerAttempts.describe(failure));
  }

  private OrderChange failed(JobOrder order, Throwable failure) {
    return OrderChange.refused(order.id(), OrderStatus.FAILED.wire(), "The order could not be placed: the broker "
        + "did not answer in " + broker.maxAttempts() + " attempts (last error: " + BrokerAttempts.describe(failure) + ")");
  }

  private static OrderChange submitted(JobOrder order, AlpacaOrder placed) {
    Instant at = placed.submittedAt() != null ? placed.submittedAt() : Instant.now();
    String status = ACCEPTED.contains(placed.status()) ? placed.status() : OrderStatus.NEW.wire();
    return OrderChange.submitted(order.id(), placed.id(), at.atOffset(ZoneOffset.UTC), status);
  }
}
