package com.portfoliostream.common.config;

import com.portfoliostream.events.model.Decimals;
import com.portfoliostream.events.model.Decimals.BadDecimal;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

  /** An address a server may listen on: an IP literal or a host name; the wildcard allowed. */
  static SettingRule bindAddress() {
    return new Address(true);
  }

  /** This node's own address on a network: an IP literal or a host name, never the wildcard. */
  static SettingRule memberAddress() {
    return new Address(false);
  }

  /** Comma-separated IP blocks ({@code 10.0.0.0/8}, {@code fd00::/8}, single addresses); blank is none. */
  static SettingRule cidrs() {
    return new Cidrs();
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

  record Address(boolean wildcardAllowed) implements SettingRule {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:]*:[0-9a-fA-F:.]*");
    private static final Pattern HOST_NAME =
        Pattern.compile("(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    @Override
    public Object parse(Setting setting, String value) {
      String host = value.trim();
      boolean wellFormed = validIpv4(host) || IPV6.matcher(host).matches()
          || (HOST_NAME.matcher(host).matches() && !host.matches("[0-9.]+"));
      if (!wellFormed) {
        throw new ConfigException(setting.name() + " must be an IP address or a host name, without a port, got '"
            + shown(setting, value) + "'");
      }
      if (!wildcardAllowed && BindAddresses.isWildcard(host)) {
        throw new ConfigException(setting.name() + " must be this node's own address, not the wildcard '" + host
            + "': other nodes connect to the address it names");
      }
      return host;
    }

    private static boolean validIpv4(String host) {
      Matcher m = IPV4.matcher(host);
      if (!m.matches()) {
        return false;
      }
      for (int i = 1; i <= 4; i++) {
        if (Integer.parseInt(m.group(i)) > 255) {
          return false;
        }
      }
      return true;
    }
  }

  record Cidrs() implements SettingRule {
    @Override
    public Object parse(Setting setting, String value) {
      return com.portfoliostream.common.net.Cidr.parseList(value).orElseThrow(() -> new ConfigException(
          setting.name() + " must be comma-separated IP addresses or blocks like 10.0.0.0/8, got '"
              + shown(setting, value) + "'"));
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
