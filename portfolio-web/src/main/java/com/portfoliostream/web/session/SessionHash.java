package com.portfoliostream.web.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What we keep and send instead of a session id: its SHA-256, in hex. The id is 128 random bits,
 * so the hash cannot be turned back into a cookie; the table and the bus only ever hold this.
 */
public final class SessionHash {

  private SessionHash() {}

  public static String of(String sessionId) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha256.digest(sessionId.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
