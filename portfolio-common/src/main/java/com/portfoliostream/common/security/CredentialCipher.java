package com.portfoliostream.common.security;

import com.portfoliostream.common.config.ConfigException;
import com.portfoliostream.common.config.NodeConfig;
import com.portfoliostream.common.config.Setting;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts broker credentials at rest with AES-256-GCM. Each ciphertext is bound to its row (the
 * row id is the associated data), so a secret copied onto another account does not decrypt.
 * Layout: version byte, 12-byte nonce, ciphertext with its 16-byte tag.
 */
public final class CredentialCipher {

  public static final String KEY_FILE = "credentials.key";
  private static final byte FORMAT_VERSION = 1;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Null for a node without the key: see {@link #withoutKey()}. Replaced when the key is rotated. */
  private volatile SecretKeySpec key;

  /** Throws {@link ConfigException} unless the key is 32 bytes. */
  public CredentialCipher(byte[] rawKey) {
    if (rawKey.length != 32) {
      throw new ConfigException("CREDENTIALS_KEY must be 32 bytes (base64 of a 256-bit key), got " + rawKey.length);
    }
    this.key = new SecretKeySpec(rawKey.clone(), "AES");
  }

  /**
   * A cipher of a node whose roles never open broker credentials (stream, admin, simulator): it
   * holds no key, and every attempt to seal or open a credential fails.
   */
  public static CredentialCipher withoutKey() {
    return new CredentialCipher();
  }

  private CredentialCipher() {
    this.key = null;
  }

  /** Blocking: the key from CREDENTIALS_KEY, else from {@link #keyFile} (made on first start). */
  public static CredentialCipher fromConfig(NodeConfig config) {
    return new CredentialCipher(readKey(config));
  }

  /** Blocking: the raw key the config names now (CREDENTIALS_KEY, else the key file's content). */
  public static byte[] readKey(NodeConfig config) {
    return KeyFiles.load(config, Setting.CREDENTIALS_KEY, keyFile(config));
  }

  /** CREDENTIALS_KEY_FILE, else DATA_DIR/credentials.key. */
  public static java.nio.file.Path keyFile(NodeConfig config) {
    return config.settings().optional(Setting.CREDENTIALS_KEY_FILE).map(java.nio.file.Path::of)
        .orElse(config.dataDir().resolve(KEY_FILE));
  }

  /** Whether the key comes from a file (and so can be read again after a rotation), not CREDENTIALS_KEY itself. */
  public static boolean keyFromFile(NodeConfig config) {
    return config.settings().optional(Setting.CREDENTIALS_KEY).isEmpty();
  }

  /** From now on seals and opens with {@code rawKey} (a rotation re-sealed the database's secrets under it). */
  public void replaceKey(byte[] rawKey) {
    if (key == null) {
      throw new IllegalStateException("a node without a credentials key does not take one later");
    }
    this.key = new CredentialCipher(rawKey).key;
  }

  /** The key of a node whose roles open broker credentials; for the others, {@link #withoutKey()}. */
  public static CredentialCipher forRoles(NodeConfig config) {
    return config.usesBrokerCredentials() ? fromConfig(config) : withoutKey();
  }

  public static String generateKey() {
    return KeyFiles.generate();
  }

  public boolean hasKey() {
    return key != null;
  }

  public byte[] encrypt(String plaintext, String boundTo) {
    requireKey();
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
    requireKey();
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

  private SecretKeySpec requireKey() {
    SecretKeySpec current = key;
    if (current == null) {
      throw new CredentialDecryptionException(
          "this node holds no CREDENTIALS_KEY: only the ingest, orders and admin roles hold broker credentials");
    }
    return current;
  }

  private Cipher cipher(int mode, byte[] nonce, String boundTo) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, requireKey(), new GCMParameterSpec(TAG_BITS, nonce));
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
