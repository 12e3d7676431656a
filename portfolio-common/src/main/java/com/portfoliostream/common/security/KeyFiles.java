package com.portfoliostream.common.security;

import com.portfoliostream.common.config.ConfigException;
import com.portfoliostream.common.config.NodeConfig;
import com.portfoliostream.common.config.Setting;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's 256-bit keys: the setting's base64 value, else a file in {@code DATA_DIR} made on first
 * start (owner-only), so the nodes of one machine share it without configuration. Blocking.
 */
public final class KeyFiles {

  private static final Logger LOG = LoggerFactory.getLogger(KeyFiles.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int KEY_BYTES = 32;

  private KeyFiles() {}

  /** A fresh random key, base64. */
  public static String generate() {
    byte[] raw = new byte[KEY_BYTES];
    RANDOM.nextBytes(raw);
    return Base64.getEncoder().encodeToString(raw);
  }

  /** The key {@code setting} names, else the one in {@code DATA_DIR/fileName}, made when absent. */
  public static byte[] load(NodeConfig config, Setting setting, String fileName) {
    return load(config, setting, config.dataDir().resolve(fileName));
  }

  /** The key {@code setting} names, else the one in {@code file}, made when absent. */
  public static byte[] load(NodeConfig config, Setting setting, Path file) {
    if (config.settings().optional(setting).isPresent()) {
      return decode(setting, config.settings().optional(setting).get());
    }
    try {
      if (!Files.exists(file)) {
        create(file, setting, config.databaseUrl().isPresent());
      }
      return decode(setting, Files.readString(file).trim());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create " + file, e);
    }
  }

  private static void create(Path file, Setting setting, boolean sharedDatabase) throws IOException {
    Files.createDirectories(file.getParent());
    Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(temp, generate());
    try {
      Files.move(temp, file);
    } catch (FileAlreadyExistsException raced) {
      Files.deleteIfExists(temp);
      return;
    }
    if (sharedDatabase) {
      LOG.warn("Generated a key in {}; every node sharing DATABASE_URL must use the same key: set {}", file, setting);
    } else {
      LOG.info("Generated a key in {}", file);
    }
  }

  /** Blocking: writes {@code base64} to {@code file} (owner-only) in one rename, replacing what was there. */
  public static void replace(Path file, String base64) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(temp, base64);
      Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** The raw key of a base64 text; {@link ConfigException} naming {@code what} unless it is 32 bytes. */
  public static byte[] decode(String what, String base64) {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(what + " is not valid base64");
    }
    if (raw.length != KEY_BYTES) {
      throw new ConfigException(what + " must be 32 bytes (base64 of a 256-bit key), got " + raw.length);
    }
    return raw;
  }

  private static byte[] decode(Setting setting, String base64) {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(setting.name() + " is not valid base64");
    }
    if (raw.length != KEY_BYTES) {
      throw new ConfigException(setting.name() + " must be 32 bytes (base64 of a 256-bit key), got " + raw.length);
    }
    return raw;
  }
}
