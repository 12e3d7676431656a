package com.portfoliostream.common.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import com.portfoliostream.common.db.DatabaseUrl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the configuration in one place: defaults, then environment variables, then a JSON file
 * (named by {@code CONFIG_FILE}) whose keys are the same names. Every bad value fails with a
 * {@link ConfigException} naming the setting.
 */
public final class ConfigLoader {

  /** Environment variable naming an optional JSON file that overrides the environment. */
  public static final String CONFIG_FILE = "CONFIG_FILE";
  private static final Pattern MEMBER =
      Pattern.compile("([A-Za-z0-9.\\-]+|\\[[0-9a-fA-F:]+\\])(?::(\\d{1,5})(?:-(\\d{1,5}))?)?");
  private static final int MAX_MEMBER_RANGE = 32;

  private final RawSettings settings;

  private ConfigLoader(Map<String, String> values) {
    this.settings = new RawSettings(values);
  }

  /** Reads the process environment and the JSON file it names, if any. */
  public static NodeConfig fromEnvironment() {
    return load(System.getenv());
  }

  public static NodeConfig load(Map<String, String> environment) {
    Map<String, String> merged = new HashMap<>();
    for (Setting setting : Setting.values()) {
      String value = environment.get(setting.name());
      if (value != null) {
        merged.put(setting.name(), value.trim());
      }
    }
    String file = environment.get(CONFIG_FILE);
    if (file != null && !file.isBlank()) {
      merged.putAll(readFile(Path.of(file.trim())));
    }
    return new ConfigLoader(merged).checked().build();
  }

  /** Every setting against its rule, in the table's order, whatever roles the node runs. */
  private ConfigLoader checked() {
    for (Setting setting : Setting.values()) {
      settings.parse(setting);
    }
    return this;
  }

  private static Map<String, String> readFile(Path path) {
    JsonObject json;
    try {
      json = new JsonObject(Files.readString(path));
    } catch (IOException e) {
      throw new ConfigException("CONFIG_FILE " + path + " cannot be read: " + e.getMessage());
    } catch (DecodeException e) {
      throw new ConfigException("CONFIG_FILE " + path + " is not a JSON object");
    }
    Map<String, String> values = new HashMap<>();
    for (Map.Entry<String, Object> entry : json) {
      if (Setting.named(entry.getKey()).isEmpty()) {
        throw new ConfigException("CONFIG_FILE " + path + " has an unknown setting '" + entry.getKey()
            + "'; known settings: " + Arrays.toString(Setting.values()));
      }
      values.put(entry.getKey(), flatten(entry.getValue()));
    }
    return values;
  }

  private static String flatten(Object value) {
    if (value instanceof JsonArray array) {
      List<String> parts = new ArrayList<>();
      array.forEach(v -> parts.add(String.valueOf(v)));
      return String.join(",", parts);
    }
    return value == null ? "" : String.valueOf(value).trim();
  }

  private NodeConfig build() {
    Set<Role> roles = roles();
    Optional<String> databaseUrl = optional(Setting.DATABASE_URL);
    databaseUrl.ifPresent(DatabaseUrl::parse);
    NodeConfig config = new NodeConfig(
        integer(Setting.PORT), integer(Setting.ADMIN_PORT), integer(Setting.SIM_PORT),
        nonBlank(Setting.BIND_HOST),
        nonBlank(Setting.ADMIN_BIND_HOST),
        nonBlank(Setting.SIM_BIND_HOST),
        settings.flag(Setting.ALLOW_PUBLIC_DEMO, false),
        roles,
        Path.of(nonBlank(Setting.DATA_DIR)).toAbsolutePath().normalize(),
        databaseUrl,
        integer(Setting.DATABASE_POOL_SIZE),
        nonBlank(Setting.CLUSTER_NAME),
        nonBlank(Setting.CLUSTER_HOST),
        integer(Setting.CLUSTER_PORT),
        members(),
        clusterTls(nonBlank(Setting.CLUSTER_HOST)),
        settings.flag(Setting.DEMO, roles.equals(Role.all())),
        nonBlank(Setting.DEMO_PASSWORD),
        optional(Setting.CREDENTIALS_KEY),
        streamSettings(),
        settings);
    PublicDemoCheck.check(config);
    ClusterDiscovery.from(settings);
    if (settings.flag(Setting.PROXY_PROTOCOL, false) && settings.cidrs(Setting.TRUSTED_PROXIES).isEmpty()) {
      throw new ConfigException("PROXY_PROTOCOL=true needs TRUSTED_PROXIES: the addresses of the balancers whose "
          + "PROXY headers name the client; without them every client would count as the balancer");
    }
    return config;
  }

  private StreamSettings streamSettings() {
    int interval = integer(Setting.HEARTBEAT_INTERVAL_MS);
    int timeout = integer(Setting.HEARTBEAT_TIMEOUT_MS);
    if (timeout <= interval) {
      throw new ConfigException("HEARTBEAT_TIMEOUT_MS (" + timeout
          + ") must be longer than HEARTBEAT_INTERVAL_MS (" + interval + ")");
    }
    return new StreamSettings(
        settings.flag(Setting.ENABLE_REALTIME_PORTFOLIO, true),
        integer(Setting.MAX_CONNECTIONS),
        integer(Setting.MAX_CONNECTIONS_PER_USER),
        origins(),
        integer(Setting.SESSION_TIMEOUT_MINUTES),
        integer(Setting.MAX_CLIENT_MESSAGES_PER_SECOND),
        interval,
        timeout,
        raw(Setting.BATCH_MODE),
        integer(Setting.BATCH_DEADLINE_MS),
        integer(Setting.BATCH_WINDOW_MS),
        settings.decimal(Setting.SIGNIFICANCE_PERCENT),
        tls());
  }

  private Optional<StreamSettings.Tls> tls() {
    Optional<String> cert = optional(Setting.TLS_CERT_PATH);
    Optional<String> key = optional(Setting.TLS_KEY_PATH);
    if (cert.isEmpty() && key.isEmpty()) {
      return Optional.empty();
    }
    if (cert.isEmpty() || key.isEmpty()) {
      throw new ConfigException("TLS_CERT_PATH and TLS_KEY_PATH go together: set both or neither");
    }
    requireReadable(List.of(Setting.TLS_CERT_PATH, Setting.TLS_KEY_PATH));
    return Optional.of(new StreamSettings.Tls(Path.of(cert.get()), Path.of(key.get())));
  }

  /**
   * The event bus's mutual TLS: the three files go together, and off loopback they are required,
   * since the cluster network is not trusted (DESIGN, Wave 2).
   */
  private Optional<ClusterTls> clusterTls(String clusterHost) {
    List<Setting> files = List.of(Setting.CLUSTER_TLS_CERT_PATH, Setting.CLUSTER_TLS_KEY_PATH, Setting.CLUSTER_TLS_CA_PATH);
    long present = files.stream().filter(setting -> optional(setting).isPresent()).count();
    if (present == 0) {
      if (!ClusterTls.isLoopback(clusterHost)) {
        throw new ConfigException("CLUSTER_HOST " + clusterHost + " is not loopback: set CLUSTER_TLS_CERT_PATH, "
            + "CLUSTER_TLS_KEY_PATH and CLUSTER_TLS_CA_PATH (bin/cluster-certs writes them) so the event bus "
            + "runs mutual TLS");
      }
      return Optional.empty();
    }
    if (present < files.size()) {
      throw new ConfigException("CLUSTER_TLS_CERT_PATH, CLUSTER_TLS_KEY_PATH and CLUSTER_TLS_CA_PATH go together: "
          + "set all three or none");
    }
    requireReadable(files);
    return Optional.of(new ClusterTls(Path.of(raw(Setting.CLUSTER_TLS_CERT_PATH)),
        Path.of(raw(Setting.CLUSTER_TLS_KEY_PATH)), Path.of(raw(Setting.CLUSTER_TLS_CA_PATH))));
  }

  private void requireReadable(List<Setting> files) {
    for (Setting setting : files) {
      if (!Files.isReadable(Path.of(raw(setting)))) {
        throw new ConfigException(setting.name() + " " + raw(setting) + " is not a readable file");
      }
    }
  }

  private List<String> origins() {
    List<String> origins = new ArrayList<>();
    for (String entry : raw(Setting.ALLOWED_ORIGINS).split(",")) {
      String origin = entry.trim();
      if (origin.isEmpty()) {
        continue;
      }
      if (!origin.matches("https?://[A-Za-z0-9.\\-]+(:\\d{1,5})?|https?://\\[[0-9a-fA-F:]+\\](:\\d{1,5})?")) {
        throw new ConfigException("ALLOWED_ORIGINS entry '" + origin
            + "' is not an origin like https://trading.example.com or http://localhost:3000");
      }
      origins.add(origin.toLowerCase());
    }
    return origins;
  }

  private String raw(Setting setting) {
    return settings.raw(setting);
  }

  private Optional<String> optional(Setting setting) {
    return settings.optional(setting);
  }

  private String nonBlank(Setting setting) {
    return settings.nonBlank(setting);
  }

  private int integer(Setting setting) {
    return settings.integer(setting);
  }

  private Set<Role> roles() {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String name : raw(Setting.ROLES).split(",")) {
      String role = name.trim().toLowerCase();
      if (role.isEmpty()) {
        continue;
      }
      if (role.equals("all")) {
        roles.addAll(Role.all());
        continue;
      }
      roles.add(Role.fromConfigName(role).orElseThrow(() -> new ConfigException(
          "ROLES has an unknown role '" + name.trim() + "'; use stream, ingest, orders, admin, simulator or all")));
    }
    if (roles.isEmpty()) {
      throw new ConfigException("ROLES must name at least one role: stream, ingest, orders, admin, simulator or all");
    }
    return roles;
  }

  /** Expands {@code host:5701-5703} into one entry per port, so Hazelcast tries each. */
  private List<String> members() {
    List<String> members = new ArrayList<>();
    for (String entry : raw(Setting.CLUSTER_MEMBERS).split(",")) {
      String member = entry.trim();
      if (member.isEmpty()) {
        continue;
      }
      Matcher m = MEMBER.matcher(member);
      if (!m.matches()) {
        throw new ConfigException("CLUSTER_MEMBERS entry '" + member + "' is not host[:port[-port]]");
      }
      members.addAll(expand(member, m));
    }
    if (members.isEmpty()) {
      throw new ConfigException("CLUSTER_MEMBERS must name at least one member, e.g. 127.0.0.1:5701");
    }
    return members;
  }

  private static List<String> expand(String member, Matcher m) {
    String host = m.group(1);
    if (m.group(2) == null) {
      return List.of(host);
    }
    int first = Integer.parseInt(m.group(2));
    int last = m.group(3) == null ? first : Integer.parseInt(m.group(3));
    if (first < 1 || last > 65535 || last < first || last - first >= MAX_MEMBER_RANGE) {
      throw new ConfigException("CLUSTER_MEMBERS entry '" + member
          + "' has a bad port range (1-65535, at most " + MAX_MEMBER_RANGE + " ports)");
    }
    List<String> expanded = new ArrayList<>();
    for (int port = first; port <= last; port++) {
      expanded.add(host + ":" + port);
    }
    return expanded;
  }

}
