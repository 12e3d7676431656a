package com.portfoliostream.common.security;

import com.portfoliostream.common.config.ConfigException;
import com.portfoliostream.common.config.NodeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encrypts broker credentials at rest with AES-256-GCM. Each ciphertext is bound to its row (the
 * row id is the associated data), so a secret copied onto another account does not decrypt.
 * Layout: version byte, 12-byte nonce, ciphertext with its 16-byte tag.
 */
public final class CredentialCipher {

  public static final String KEY_FILE = "credentials.key";
  private static final Logger LOG = LoggerFactory.getLogger(CredentialCipher.class);
  private static final byte FORMAT_VERSION = 1;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  public CredentialCipher(byte[] rawKey) {
    if (rawKey.length != 32) {
      throw new ConfigException("CREDENTIALS_KEY must be 32 bytes (base64 of a 256-bit key), got " + rawKey.length);
    }
    this.key = new SecretKeySpec(rawKey.clone(), "AES");
  }

  /** The key from CREDENTIALS_KEY, else from DATA_DIR/credentials.key, made on first start. */
  public static CredentialCipher fromConfig(NodeConfig config) {
    if (config.credentialsKey().isPresent()) {
      return new CredentialCipher(decode(config.credentialsKey().get()));
    }
    Path file = config.dataDir().resolve(KEY_FILE);
    try {
      if (!Files.exists(file)) {
        createKeyFile(file, config.databaseUrl().isPresent());
      }
      return new CredentialCipher(decode(Files.readString(file).trim()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create " + file, e);
    }
  }

  public static String generateKey() {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    return Base64.getEncoder().encodeToString(raw);
  }

  private static void createKeyFile(Path file, boolean sharedDatabase) throws IOException {
    Files.createDirectories(file.getParent());
    Path temp = Files.createTempFile(file.getParent(), "credentials", ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(temp, generateKey());
    try {
      Files.move(temp, file);
    } catch (java.nio.file.FileAlreadyExistsException raced) {
      Files.deleteIfExists(temp);
      return;
    }
    if (sharedDatabase) {
      LOG.warn("Generated a credentials key in {}; every node sharing DATABASE_URL must use the same key: set CREDENTIALS_KEY", file);
    } else {
      LOG.info("Generated a credentials key in {}", file);
    }
  }

  private static byte[] decode(String base64) {
    try {
      return Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("CREDENTIALS_KEY is not valid base64");
    }
  }

  /**
   * A secret for another purpose derived from this key (HMAC-SHA256 of the purpose), so every
   * node sharing the key shares it without more configuration.
   */
  public byte[] derive(String purpose) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
      return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }

  public byte[] encrypt(String plaintext, String boundTo) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, boundTo);
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length)
          .put(FORMAT_VERSION).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  /** Fails with {@link CredentialDecryptionException} for another key, another row or a tampered value. */
  public String decrypt(byte[] stored, String boundTo) {
    if (stored.length < 1 + NONCE_BYTES + TAG_BITS / 8 || stored[0] != FORMAT_VERSION) {
      throw new CredentialDecryptionException("not a sealed credential of a known format");
    }
    byte[] nonce = java.util.Arrays.copyOfRange(stored, 1, 1 + NONCE_BYTES);
    try {
      Cipher cipher = cipher(Cipher.DECRYPT_MODE, nonce, boundTo);
      byte[] plain = cipher.doFinal(stored, 1 + NONCE_BYTES, stored.length - 1 - NONCE_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new CredentialDecryptionException("credential does not decrypt with this key for this row");
    }
  }

  private Cipher cipher(int mode, byte[] nonce, String boundTo) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
    cipher.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
    return cipher;
  }

  /** A stored credential that this key cannot open. */
  public static final class CredentialDecryptionException extends RuntimeException {
    public CredentialDecryptionException(String message) {
      super(message);
    }
  }
}
