package com.portfoliostream.common.security;

import com.portfoliostream.common.config.NodeConfig;
import com.portfoliostream.common.config.Setting;
import java.util.Base64;

/**
 * The key every HTTP server of the cluster signs its CSRF tokens with, so a token one node issued
 * is good on every other. Its own key, not derived from {@code CREDENTIALS_KEY}: an edge signs
 * tokens without holding what opens the broker secrets.
 */
public final class WebSigningKey {

  public static final String KEY_FILE = "web-signing.key";

  private WebSigningKey() {}

  /** Blocking: from WEB_SIGNING_KEY, else DATA_DIR/web-signing.key (made on first start); base64. */
  public static String fromConfig(NodeConfig config) {
    return Base64.getEncoder().encodeToString(KeyFiles.load(config, Setting.WEB_SIGNING_KEY, KEY_FILE));
  }
}
