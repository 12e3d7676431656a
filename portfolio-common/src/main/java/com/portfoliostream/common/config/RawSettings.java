package com.portfoliostream.common.config;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The merged setting values (defaults, environment, config file), every one already checked against
 * its {@link Setting#rule()} by {@link ConfigLoader}, with typed readers. Each module reads its own
 * settings through these into its own settings record; a bad value fails the node at start with a
 * {@link ConfigException} naming the setting and what it accepts, never showing a secret.
 */
public final class RawSettings {

  private final Map<String, String> values;

  RawSettings(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  public String raw(Setting setting) {
    return values.getOrDefault(setting.name(), setting.defaultValue());
  }

  public Optional<String> optional(Setting setting) {
    String value = raw(setting);
    return value.isBlank() ? Optional.empty() : Optional.of(value);
  }

  public String nonBlank(Setting setting) {
    String value = raw(setting);
    if (value.isBlank()) {
      throw new ConfigException(setting.name() + " must not be empty (" + setting.description() + ")");
    }
    return value;
  }

  /** A whole-number setting, checked against its rule. */
  public int integer(Setting setting) {
    return Math.toIntExact((Long) parse(setting));
  }

  public long longValue(Setting setting) {
    return (Long) parse(setting);
  }

  public BigDecimal decimal(Setting setting) {
    return (BigDecimal) parse(setting);
  }

  /** A true/false setting; blank means {@code fallback} (a default computed from other settings). */
  public boolean flag(Setting setting, boolean fallback) {
    Boolean value = (Boolean) parse(setting);
    return value == null ? fallback : value;
  }

  /** A URL setting; empty when blank. */
  public Optional<URI> url(Setting setting) {
    return Optional.ofNullable((URI) parse(setting));
  }

  /** One of the setting's named choices, lower case. */
  public String choice(Setting setting) {
    return (String) parse(setting);
  }

  /** Checks the value against the setting's rule: a {@link ConfigException} when it breaks it. */
  Object parse(Setting setting) {
    return setting.rule().parse(setting, raw(setting));
  }

  // The readers below predate the rules in Setting; callers move to the typed readers above.

  public int intInRange(Setting setting, int min, int max) {
    String value = raw(setting);
    try {
      int number = Integer.parseInt(value);
      if (number >= min && number <= max) {
        return number;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigException(setting.name() + " must be a whole number from " + min + " to " + max
        + ", got '" + shown(setting, value) + "'");
  }

  public long longInRange(Setting setting, long min, long max) {
    String value = raw(setting);
    try {
      long number = Long.parseLong(value);
      if (number >= min && number <= max) {
        return number;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigException(setting.name() + " must be a whole number from " + min + " to " + max
        + ", got '" + shown(setting, value) + "'");
  }

  public BigDecimal decimalInRange(Setting setting, BigDecimal min, BigDecimal max) {
    String value = raw(setting);
    try {
      BigDecimal number = new BigDecimal(value);
      if (number.compareTo(min) >= 0 && number.compareTo(max) <= 0) {
        return number;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigException(setting.name() + " must be a number from " + min.toPlainString() + " to "
        + max.toPlainString() + ", got '" + shown(setting, value) + "'");
  }

  public boolean bool(Setting setting, boolean fallback) {
    String value = raw(setting);
    if (value.isBlank()) {
      return fallback;
    }
    if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(value);
    }
    throw new ConfigException(setting.name() + " must be true or false, got '" + shown(setting, value) + "'");
  }

  /** An absolute URI with one of the given schemes, e.g. {@code Set.of("http", "https")}. */
  public URI uri(Setting setting, Set<String> schemes) {
    String value = nonBlank(setting);
    try {
      URI uri = new URI(value);
      if (uri.getScheme() != null && schemes.contains(uri.getScheme().toLowerCase()) && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new ConfigException(setting.name() + " must be a URL with scheme " + String.join(" or ", schemes)
        + " and a host, got '" + shown(setting, value) + "'");
  }

  private static String shown(Setting setting, String value) {
    return setting.isSecret() ? "<secret>" : value;
  }
}
