package com.portfoliostream.admin;

import com.portfoliostream.common.config.NodeConfig;
import com.portfoliostream.common.config.Setting;
import java.time.Duration;

/** What the admin module reads from the node's settings. */
public record AdminSettings(Duration statsTimeout) {

  public static AdminSettings of(NodeConfig config) {
    return new AdminSettings(Duration.ofMillis(
        config.settings().integer(Setting.ADMIN_STATS_TIMEOUT_MS)));
  }
}
