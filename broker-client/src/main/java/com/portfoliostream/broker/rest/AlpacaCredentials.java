package com.portfoliostream.broker.rest;

import java.util.Objects;

/** An Alpaca API key and its secret. {@link #toString()} never shows the secret. */
public record AlpacaCredentials(String keyId, String secret) {

  public AlpacaCredentials {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(secret, "secret");
  }

  @Override
  public String toString() {
    return "AlpacaCredentials[keyId=" + keyId + ", secret=<secret>]";
  }
}
