package com.portfoliostream.common.orders;

import com.portfoliostream.common.config.NodeConfig;
import com.portfoliostream.common.config.Setting;

/**
 * The durable order work queue's table, {@code order_jobs}, as the edge (which queues jobs) and the
 * {@code orders} role (whose workers claim them) both use it: kinds and statuses named once.
 */
public final class OrderJobs {

  /** Hand a new order to the broker. */
  public static final String SUBMIT = "submit";
  /** Ask the broker to cancel an order. */
  public static final String CANCEL = "cancel";

  /** Waiting for a worker (new, or a retry waiting for its {@code next_attempt_at}). */
  public static final String QUEUED = "queued";
  /** Claimed by the worker named in {@code lease_owner} until {@code lease_expires_at}. */
  public static final String RUNNING = "running";
  /** Finished: the broker has the order (or refused it), or the cancel was asked. */
  public static final String DONE = "done";
  /** Dead-lettered after its last attempt; {@code last_error} says why. */
  public static final String DEAD = "dead";

  /** Jobs waiting or running across the cluster: the queue's depth. */
  public static final String DEPTH = "SELECT count(*) FROM order_jobs WHERE status IN ('queued', 'running')";

  private OrderJobs() {}

  /** The most jobs waiting or running before new orders are refused (ORDER_QUEUE_LIMIT). */
  public static int queueLimit(NodeConfig config) {
    return config.settings().intInRange(Setting.ORDER_QUEUE_LIMIT, 1, 1_000_000);
  }
}
