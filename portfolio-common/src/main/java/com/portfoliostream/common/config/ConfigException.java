package com.portfoliostream.common.config;

/** Configuration that cannot work; the message is one line that names the setting and the fix. */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
