package com.portfoliostream.orders;

import com.portfoliostream.broker.Backoff;
import com.portfoliostream.broker.alpaca.AlpacaOrder;
import com.portfoliostream.broker.rest.AlpacaApiException;
import com.portfoliostream.broker.rest.AlpacaCredentials;
import com.portfoliostream.broker.rest.AlpacaRestClient;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * What submitting and canceling share: asking the broker whether it has the order under our client
 * order id, and deciding between another attempt and giving up.
 */
final class BrokerAttempts {

  private final AlpacaRestClient rest;
  private final Backoff delay;
  private final int maxAttempts;

  BrokerAttempts(AlpacaRestClient rest, Backoff delay, int maxAttempts) {
    this.rest = rest;
    this.delay = delay;
    this.maxAttempts = maxAttempts;
  }

  AlpacaRestClient rest() {
    return rest;
  }

  /** The broker's copy of the order, or empty when it never received it. */
  Future<Optional<AlpacaOrder>> lookUp(AlpacaCredentials credentials, JobOrder order) {
    return rest.orderByClientOrderId(credentials, order.clientOrderId());
  }

  /** Another attempt after the backoff, or, after the last one, dead with {@code onGiveUp}. */
  JobOutcome retryOrGiveUp(ClaimedJob job, Throwable failure, OrderChange onGiveUp) {
    String error = describe(failure);
    if (job.attempts() >= maxAttempts) {
      return JobOutcome.dead(error, onGiveUp);
    }
    return JobOutcome.retry(error, delay.delayAfter(job.attempts()));
  }

  int maxAttempts() {
    return maxAttempts;
  }

  static boolean retryable(Throwable failure) {
    return !(failure instanceof AlpacaApiException e) || e.retryable();
  }

  static String describe(Throwable failure) {
    String message = failure.getMessage();
    return message == null ? failure.getClass().getSimpleName() : message;
  }
}
