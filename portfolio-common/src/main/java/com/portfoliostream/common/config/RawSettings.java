package com.portfoliostream.common.config;

import java.math.BigDecimal;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

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

  /** True when the setting was given (environment or CONFIG_FILE), not left to its default. */
  public boolean isSet(Setting setting) {
    return values.containsKey(setting.name());
  }

  public Optional<String> optional(Setting setting) {
    String value = raw(setting);
    return value.isBlank() ? Optional.empty() : Optional.of(value);
  }

  public String nonBlank(Setting setting) {
    return (String) SettingRule.required().parse(setting, raw(setting));
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

  /** A list of IP blocks; empty when blank. */
  @SuppressWarnings("unchecked")
  public java.util.List<com.portfoliostream.common.net.Cidr> cidrs(Setting setting) {
    return (java.util.List<com.portfoliostream.common.net.Cidr>) parse(setting);
  }

  /** One of the setting's named choices, lower case. */
  public String choice(Setting setting) {
    return (String) parse(setting);
  }

  /** Checks the value against the setting's rule: a {@link ConfigException} when it breaks it. */
  Object parse(Setting setting) {
    return setting.rule().parse(setting, raw(setting));
  }
}
