package com.portfoliostream.events.protocol;

import java.util.regex.Pattern;

/**
 * Every event bus address of the cluster. User data travels only on {@link #user(String)}; no
 * other address may carry one user's portfolio data.
 */
public final class BusAddresses {

  /** Prefix of the per-user topic; the user id follows. */
  public static final String USER_PREFIX = "portfolio.user.";

  /**
   * Every node answers a ping published here with its id and roles, to the address named in the
   * ping's {@code replyTo}: how operators and tests see who is in the cluster.
   */
  public static final String CLUSTER_PING = "portfolio.cluster.ping";

  /** Published when a session ends (logout, expiry): every node closes that session's sockets. */
  public static final String SESSION_REVOKED = "portfolio.session.revoked";
  /** The field of a {@link #SESSION_REVOKED} message: the SHA-256 of the session id, never the id. */
  public static final String SESSION_HASH_FIELD = "sessionHash";

  /**
   * Published (body: the broker account id) when ingest changed an account's positions or
   * balances, so position sync reloads that account. Carries no portfolio data itself.
   */
  public static final String HOLDINGS_CHANGED = "ingest.holdings.changed";

  /**
   * Stats requests, published by the admin role: every node answers with a summary of its own
   * metrics (counts, user ids and connection counts, never portfolio data) sent to the request's
   * {@code replyTo}, carrying the request's {@code requestId}.
   */
  public static final String NODE_STATS = "portfolio.admin.node-stats";

  /** Prefix of an admin node's own address for the answers to its stats requests. */
  public static final String NODE_STATS_REPLY_PREFIX = "portfolio.admin.node-stats.reply.";

  /**
   * Published (no body) after order jobs were queued: every {@code orders} node polls for work at
   * once instead of waiting for its next backstop poll. Carries no portfolio data.
   */
  public static final String ORDER_JOBS_READY = "orders.jobs.ready";

  /** Local only (never clustered): the stream edge of this node answers with its sockets per user. */
  public static final String EDGE_STATS_LOCAL = "portfolio.edge.stats.local";

  private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private BusAddresses() {}

  /** The topic of one user's portfolio events. Rejects ids that could alias another address. */
  public static String user(String userId) {
    if (userId == null || !USER_ID.matcher(userId).matches()) {
      throw new IllegalArgumentException("not a valid user id for a bus address");
    }
    return USER_PREFIX + userId;
  }
}
