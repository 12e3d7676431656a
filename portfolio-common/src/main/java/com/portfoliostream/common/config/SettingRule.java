package com.portfoliostream.common.config;

import com.portfoliostream.events.model.Decimals;
import com.portfoliostream.events.model.Decimals.BadDecimal;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What values one {@link Setting} accepts, declared beside it. {@link ConfigLoader} checks every
 * setting against its rule when a node's config is loaded, so a bad value fails the node at start
 * whatever roles it runs; the typed readers of {@link RawSettings} parse through the same rule.
 * Messages name the setting and what it accepts, never a secret's value.
 */
public sealed interface SettingRule {

  /** Checks {@code value} (never null, maybe blank), returning its parsed form. */
  Object parse(Setting setting, String value);

  /** Any text, blank allowed; settings with structure of their own are parsed by the loader. */
  static SettingRule text() {
    return new Text(false);
  }

  /** Any text but blank. */
  static SettingRule required() {
    return new Text(true);
  }

  static SettingRule integer(int min, int max) {
    return new Whole(min, max);
  }

  static SettingRule port() {
    return new Whole(0, 65535);
  }

  static SettingRule wholeLong(long min, long max) {
    return new Whole(min, max);
  }

  static SettingRule decimal(String min, String max) {
    return new Decimal(Decimals.parse(min, Decimals.Sign.ANY), Decimals.parse(max, Decimals.Sign.ANY), false);
  }

  static SettingRule percent() {
    return new Decimal(BigDecimal.ZERO, BigDecimal.valueOf(100), true);
  }

  /** true or false; blank means the setting's computed default. */
  static SettingRule flag() {
    return new Flag();
  }

  /** Blank, or an absolute URL with a host and one of the schemes. */
  static SettingRule url(String... schemes) {
    return new Url(Set.of(schemes));
  }

  /** One of the names (case-insensitive), returned lower case. */
  static SettingRule oneOf(String... choices) {
    return new OneOf(List.of(choices));
  }

  record Text(boolean required) implements SettingRule {
    @Override
    public Object parse(Setting setting, String value) {
      if (required && value.isBlank()) {
        throw new ConfigException(setting.name() + " must not be empty (" + setting.description() + ")");
      }
      return value;
    }
  }

  record Whole(long min, long max) implements SettingRule {
    @Override
    public Object parse(Setting setting, String value) {
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
  }

  record Decimal(BigDecimal min, BigDecimal max, boolean percentage) implements SettingRule {
    @Override
    public Object parse(Setting setting, String value) {
      try {
        BigDecimal number = Decimals.parse(value, min.signum() >= 0 ? Decimals.Sign.NON_NEGATIVE : Decimals.Sign.ANY);
        if (number.compareTo(min) >= 0 && number.compareTo(max) <= 0) {
          return number;
        }
      } catch (BadDecimal e) {
        // reported below
      }
      String range = min.toPlainString() + " to " + max.toPlainString();
      throw new ConfigException(setting.name() + " must be a " + (percentage ? "percentage" : "number")
          + " from " + range + ", got '" + shown(setting, value) + "' (written plainly: digits, at most "
          + Decimals.MAX_SCALE + " after the point, no exponent or spaces)");
    }
  }

  record Flag() implements SettingRule {
    @Override
    public Object parse(Setting setting, String value) {
      if (value.isBlank()) {
        return null;
      }
      if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
        return Boolean.parseBoolean(value);
      }
      throw new ConfigException(setting.name() + " must be true or false, got '" + shown(setting, value) + "'");
    }
  }

  record Url(Set<String> schemes) implements SettingRule {
    @Override
    public Object parse(Setting setting, String value) {
      if (value.isBlank()) {
        return null;
      }
      try {
        URI uri = new URI(value);
        if (uri.getScheme() != null && schemes.contains(uri.getScheme().toLowerCase(Locale.ROOT))
            && uri.getHost() != null) {
          return uri;
        }
      } catch (URISyntaxException e) {
        // reported below
      }
      throw new ConfigException(setting.name() + " must be a URL with scheme "
          + String.join(" or ", schemes.stream().sorted().toList()) + " and a host, got '"
          + shown(setting, value) + "'");
    }
  }

  record OneOf(List<String> choices) implements SettingRule {
    @Override
    public Object parse(Setting setting, String value) {
      String choice = value.trim().toLowerCase(Locale.ROOT);
      if (choices.contains(choice)) {
        return choice;
      }
      throw new ConfigException(setting.name() + " must be " + String.join(" or ", choices) + ", got '"
          + shown(setting, value) + "'");
    }
  }

  private static String shown(Setting setting, String value) {
    return setting.isSecret() ? "<secret>" : value;
  }
}
