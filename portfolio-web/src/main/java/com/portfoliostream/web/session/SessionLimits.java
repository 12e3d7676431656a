package com.portfoliostream.web.session;

import com.portfoliostream.common.config.NodeConfig;
import com.portfoliostream.common.config.Setting;
import java.time.Duration;

/**
 * The bounds of the session table (see {@link Setting} for each): how long a session may live at
 * most however busy, how many one user may hold (the oldest is evicted at sign-in), and how many
 * may be live at all (beyond that sign-in is refused, nobody is evicted).
 */
public record SessionLimits(Duration maxLifetime, int perUser, int total) {

  /** The documented defaults, for stores made outside a node (tools, tests). */
  public static final SessionLimits DEFAULTS = new SessionLimits(Duration.ofHours(12), 10, 100_000);

  public static SessionLimits of(NodeConfig config) {
    return new SessionLimits(Duration.ofHours(config.settings().integer(Setting.SESSION_MAX_LIFETIME_HOURS)),
        config.settings().integer(Setting.MAX_SESSIONS_PER_USER), config.settings().integer(Setting.MAX_SESSIONS));
  }
}
