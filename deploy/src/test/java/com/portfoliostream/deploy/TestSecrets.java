package com.portfoliostream.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Values for what the deploy files leave as placeholders, so that a test can load their settings
 * as a node would: fresh keys, a database URL, and readable files where the cluster TLS paths point.
 */
final class TestSecrets {

  private static final SecureRandom RANDOM = new SecureRandom();

  private TestSecrets() {}

  static String key() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  static String value(String setting) {
    return setting.equals("DATABASE_URL") ? "postgresql://portfolio:secret@db.example.internal:5432/portfolio?sslmode=require" : key();
  }

  /** Each secret setting named, with a real value of its kind. */
  static Map<String, String> filledIn(Iterable<String> secrets) {
    Map<String, String> values = new HashMap<>();
    secrets.forEach(name -> values.put(name, value(name)));
    return values;
  }

  /** The three CLUSTER_TLS_* paths, at files that exist (the loader only checks they are readable). */
  static Map<String, String> clusterTls(Path dir) throws IOException {
    Map<String, String> paths = new HashMap<>();
    for (String setting : new String[] {"CLUSTER_TLS_CERT_PATH", "CLUSTER_TLS_KEY_PATH", "CLUSTER_TLS_CA_PATH"}) {
      Path file = dir.resolve(setting.toLowerCase() + ".pem");
      Files.writeString(file, "not read by the loader");
      paths.put(setting, file.toString());
    }
    return paths;
  }
}
