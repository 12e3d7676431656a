package com.portfoliostream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.common.config.Setting;
import com.portfoliostream.web.Paths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The HAProxy config under deploy/haproxy")
class HaproxyConfigTest {

  private static final Path CONFIG = Commands.REPOSITORY.resolve("deploy/haproxy/haproxy.cfg");
  private static final String INSTALL = "bin/test installs it from Debian (apt-get install haproxy)";
  private static final Pattern TIME = Pattern.compile("(\\d+)(ms|s|m|h|d)?");

  @TempDir Path dir;

  @Test
  @DisplayName("passes haproxy -c with a test certificate from make-test-cert, without a warning")
  void passesHaproxyCheck() throws Exception {
    Commands.assumeInstalled("haproxy", INSTALL);
    Path certificate = testCertificate();

    Commands.Result check = Commands.run(Map.of("LB_TLS_CERT", certificate.toString()),
        List.of("haproxy", "-c", "-f", CONFIG.toString()));

    assertThat(check.exitCode()).as(check.output()).isZero();
    assertThat(check.output()).contains("Configuration file is valid").doesNotContain("WARNING", "ALERT");
  }

  @Test
  @DisplayName("the local cluster's config is the same file with its own edges, and passes haproxy -c")
  void localClusterConfig() throws Exception {
    Commands.assumeInstalled("haproxy", INSTALL);
    Commands.Result render = Commands.run(Map.of("LOCAL_CLUSTER_DIR", dir.toString()),
        List.of("deploy/local/cluster", "config", "3"));
    assertThat(render.exitCode()).as(render.output()).isZero();

    Map<String, List<String>> local = sections(Files.readString(dir.resolve("haproxy.cfg")));
    Map<String, List<String>> committed = sections(Files.readString(CONFIG));
    assertThat(local.keySet()).isEqualTo(committed.keySet());
    assertThat(without(local.get("backend portfolio_edges"), "server ")).isEqualTo(without(committed.get("backend portfolio_edges"), "server "));
    assertThat(local.get("backend portfolio_edges")).filteredOn(line -> line.startsWith("server ")).containsExactly(
        "server edge1 127.0.0.1:8101 port 8201", "server edge2 127.0.0.1:8102 port 8202", "server edge3 127.0.0.1:8103 port 8203");
  }

  @Test
  @DisplayName("balances over the edges without stickiness, checks /readiness on ADMIN_PORT and cuts a dead edge's clients")
  void backend() throws Exception {
    List<String> backend = sections(Files.readString(CONFIG)).get("backend portfolio_edges");

    assertThat(backend).contains("balance leastconn", "option httpchk GET " + Paths.READINESS, "http-check expect status 200",
        "http-check disable-on-404");
    assertThat(backend).noneMatch(line -> line.startsWith("cookie") || line.startsWith("stick") || line.contains("balance source"));
    String defaults = single(backend, "default-server ");
    assertThat(defaults.split("\\s+")).contains("check", "send-proxy-v2", "inter", "1s", "fall", "3", "rise", "2");
    assertThat(defaults).contains("port \"${EDGE_ADMIN_PORT-" + Setting.ADMIN_PORT.defaultValue() + "}\"",
        "on-marked-down shutdown-sessions");
    assertThat(backend).filteredOn(line -> line.startsWith("server ")).isNotEmpty()
        .allMatch(line -> line.endsWith(":" + Setting.PORT.defaultValue()))
        .noneMatch(line -> line.contains("no-check") || line.contains("no-send-proxy"));
  }

  @Test
  @DisplayName("ends TLS, tells the edge the scheme, keeps sockets past the heartbeat and shows its stats on loopback only")
  void frontendsAndTimeouts() throws Exception {
    Map<String, List<String>> sections = sections(Files.readString(CONFIG));
    Map<String, Duration> timeouts = timeouts(sections.get("defaults"));

    Duration heartbeatTimeout = Duration.ofMillis(Long.parseLong(Setting.HEARTBEAT_TIMEOUT_MS.defaultValue()));
    assertThat(timeouts.get("tunnel")).isGreaterThan(heartbeatTimeout.multipliedBy(10));
    assertThat(timeouts).containsKeys("client", "server", "connect", "http-request");
    assertThat(timeouts.get("client")).isGreaterThan(Duration.ofMillis(Long.parseLong(Setting.HEARTBEAT_INTERVAL_MS.defaultValue())));
    List<String> https = sections.get("frontend portfolio_https");
    assertThat(single(https, "bind ")).contains(" ssl crt \"${LB_TLS_CERT-");
    assertThat(https).contains("http-request set-header X-Forwarded-Proto https", "default_backend portfolio_edges");
    assertThat(single(sections.get("frontend stats"), "bind ")).isEqualTo("bind \"${LB_STATS_BIND-127.0.0.1:8404}\"");
    assertThat(single(sections.get("global"), "stats socket ")).contains("level admin", "mode 600");
  }

  private Path testCertificate() throws Exception {
    Commands.Result made = Commands.run(Map.of(), List.of("deploy/haproxy/make-test-cert", dir.toString()));
    assertThat(made.exitCode()).as(made.output()).isZero();
    Path certificate = dir.resolve("portfolio.pem");
    assertThat(Files.readString(certificate)).contains("BEGIN CERTIFICATE", "PRIVATE KEY");
    return certificate;
  }

  /** Each section ("global", "defaults", "backend portfolio_edges", ...) with its lines, trimmed, comments out. */
  static Map<String, List<String>> sections(String config) {
    Map<String, List<String>> sections = new LinkedHashMap<>();
    List<String> current = null;
    for (String raw : config.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (!Character.isWhitespace(raw.charAt(0)) && !line.startsWith(".")) {
        current = new ArrayList<>();
        sections.put(line, current);
      } else if (current != null) {
        current.add(line.replaceAll("\\s+", " "));
      }
    }
    return sections;
  }

  private static Map<String, Duration> timeouts(List<String> lines) {
    Map<String, Duration> timeouts = new LinkedHashMap<>();
    for (String line : lines) {
      String[] words = line.split(" ");
      if (words[0].equals("timeout")) {
        timeouts.put(words[1], duration(words[2]));
      }
    }
    return timeouts;
  }

  private static Duration duration(String value) {
    Matcher m = TIME.matcher(value);
    assertThat(m.matches()).as("an HAProxy time: " + value).isTrue();
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2) == null ? "ms" : m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  private static String single(List<String> lines, String prefix) {
    List<String> found = lines.stream().filter(line -> line.startsWith(prefix)).toList();
    assertThat(found).as("one '" + prefix + "' line").hasSize(1);
    return found.get(0);
  }

  private static List<String> without(List<String> lines, String prefix) {
    return lines.stream().filter(line -> !line.startsWith(prefix)).toList();
  }
}
