package com.portfoliostream.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.portfoliostream.common.config.ConfigException;
import com.portfoliostream.common.config.ConfigLoader;
import com.portfoliostream.common.config.NodeConfig;
import com.portfoliostream.common.config.Role;
import com.portfoliostream.common.config.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Node configuration")
class ConfigLoaderTest {

  @TempDir Path dir;

  @Test
  @DisplayName("a public bind needs no opt-in without the demo and the simulator, and the demo's opt-in with a password of the operator's own")
  void publicBinds() {
    assertThat(ConfigLoader.load(Map.of("ROLES", "stream,admin", "BIND_HOST", "0.0.0.0", "ADMIN_BIND_HOST", "10.1.0.5"))
        .httpBinds()).containsValues("0.0.0.0", "10.1.0.5");
    assertThat(ConfigLoader.load(Map.of("BIND_HOST", "10.0.0.5", "ALLOW_PUBLIC_DEMO", "true",
        "DEMO_PASSWORD", "a-password-of-our-own")).bindHost()).isEqualTo("10.0.0.5");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("ROLES", "simulator", "SIM_BIND_HOST", "10.0.0.5")))
        .hasMessageContaining("the demo refuses a non-loopback address (SIM_BIND_HOST=10.0.0.5)");
  }

  @Test
  @DisplayName("defaults describe a one-process demo on the embedded database")
  void defaults() {
    NodeConfig config = ConfigLoader.load(Map.of());

    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.adminPort()).isEqualTo(8081);
    assertThat(config.simPort()).isEqualTo(8090);
    assertThat(config.roles()).isEqualTo(Role.all());
    assertThat(config.databaseUrl()).isEmpty();
    assertThat(config.demo()).isTrue();
    assertThat(config.demoPassword()).isEqualTo("demo");
    assertThat(config.clusterMembers()).containsExactly(
        "127.0.0.1:5701", "127.0.0.1:5702", "127.0.0.1:5703", "127.0.0.1:5704", "127.0.0.1:5705");
    assertThat(config.dataDir()).isAbsolute();
    assertThat(List.of(config.bindHost(), config.adminBindHost(), config.simBindHost(), config.clusterHost()))
        .as("every listener on loopback").containsOnly("127.0.0.1");
    assertThat(config.allowPublicDemo()).isFalse();
  }

  @Test
  @DisplayName("environment variables override defaults, and a partial role set turns the demo off")
  void environmentOverrides() {
    NodeConfig config = ConfigLoader.load(Map.of("PORT", "9090", "ROLES", "stream, ingest",
        "CLUSTER_MEMBERS", "10.0.0.5:5701,node-b", "DATABASE_URL", "postgresql://u:p@db:5432/portfolio"));

    assertThat(config.port()).isEqualTo(9090);
    assertThat(config.roles()).isEqualTo(Set.of(Role.STREAM, Role.INGEST));
    assertThat(config.demo()).isFalse();
    assertThat(config.clusterMembers()).containsExactly("10.0.0.5:5701", "node-b");
    assertThat(config.databaseUrl()).contains("postgresql://u:p@db:5432/portfolio");
  }

  @Test
  @DisplayName("a JSON file named by CONFIG_FILE overrides the environment, arrays allowed")
  void jsonFileOverrides() throws IOException {
    Path file = dir.resolve("node.json");
    Files.writeString(file, "{\"PORT\": 7000, \"ROLES\": [\"admin\", \"orders\"], \"DEMO\": true}");

    NodeConfig config = ConfigLoader.load(Map.of("PORT", "9090", "CONFIG_FILE", file.toString()));

    assertThat(config.port()).isEqualTo(7000);
    assertThat(config.roles()).isEqualTo(Set.of(Role.ADMIN, Role.ORDERS));
    assertThat(config.demo()).isTrue();
  }

  @ParameterizedTest(name = "{0}={1} is refused with \"{2}\"")
  @CsvSource(delimiter = '|', value = {
      "PORT              | abc                 | PORT must be a whole number from 0 to 65535, got 'abc'",
      "ADMIN_PORT        | 70000               | ADMIN_PORT must be a whole number from 0 to 65535, got '70000'",
      "ROLES             | stream,trading      | ROLES has an unknown role 'trading'",
      "ROLES             | ' , '               | ROLES must name at least one role",
      "DEMO              | yes                 | DEMO must be true or false, got 'yes'",
      "CLUSTER_MEMBERS   | 127.0.0.1:5705-5701 | CLUSTER_MEMBERS entry '127.0.0.1:5705-5701' has a bad port range",
      "CLUSTER_MEMBERS   | host name:1         | CLUSTER_MEMBERS entry 'host name:1' is not host[:port[-port]]",
      "DATABASE_POOL_SIZE| 0                   | DATABASE_POOL_SIZE must be a whole number from 1 to 100, got '0'",
      "DATABASE_URL      | mysql://x           | DATABASE_URL is not a postgresql://",
      "DATABASE_URL      | postgresql://h:5432 | DATABASE_URL must name a database",
      "TLS_CERT_PATH     | /etc/cert.pem       | TLS_CERT_PATH and TLS_KEY_PATH go together",
      "CLUSTER_HOST      | 10.0.0.5            | CLUSTER_HOST 10.0.0.5 is not loopback: set CLUSTER_TLS_CERT_PATH, CLUSTER_TLS_KEY_PATH and CLUSTER_TLS_CA_PATH",
      "CLUSTER_TLS_CA_PATH | /etc/ca.pem       | CLUSTER_TLS_CERT_PATH, CLUSTER_TLS_KEY_PATH and CLUSTER_TLS_CA_PATH go together",
      "HEARTBEAT_TIMEOUT_MS | 15000            | HEARTBEAT_TIMEOUT_MS (15000) must be longer than HEARTBEAT_INTERVAL_MS (15000)",
      "ALLOWED_ORIGINS   | desk.example.com    | ALLOWED_ORIGINS entry 'desk.example.com' is not an origin",
      "MAX_CONNECTIONS_PER_USER | 0          | MAX_CONNECTIONS_PER_USER must be a whole number from 1 to 1000",
      "SIGNIFICANCE_PERCENT | -1               | SIGNIFICANCE_PERCENT must be a percentage from 0 to 100, got '-1'",
      "BATCH_WINDOW_MS   | 5                   | BATCH_WINDOW_MS must be a whole number from 10 to 60000",
      "ORDER_WORKERS     | 0                   | ORDER_WORKERS must be a whole number from 1 to 64, got '0'",
      "PASSWORD_HASH_ITERATIONS | 9999       | PASSWORD_HASH_ITERATIONS must be a whole number from 10000 to 10000000, got '9999'",
      "PROXY_PROTOCOL    | true                | PROXY_PROTOCOL=true needs TRUSTED_PROXIES",
      "TRUSTED_PROXIES   | lb.example.com      | TRUSTED_PROXIES must be comma-separated IP addresses or blocks like 10.0.0.0/8",
      "SIM_VOLATILITY_PERCENT | 1e999999999    | SIM_VOLATILITY_PERCENT must be a number from 0 to 10, got '1e999999999' (written plainly",
      "SIM_VOLATILITY_PERCENT | 1E0            | SIM_VOLATILITY_PERCENT must be a number from 0 to 10, got '1E0'",
      "SIM_VOLATILITY_PERCENT | NaN            | SIM_VOLATILITY_PERCENT must be a number from 0 to 10, got 'NaN'",
      "SIM_VOLATILITY_PERCENT | Infinity       | SIM_VOLATILITY_PERCENT must be a number from 0 to 10, got 'Infinity'",
      "SIM_VOLATILITY_PERCENT | -0             | SIM_VOLATILITY_PERCENT must be a number from 0 to 10, got '-0'",
      "SIM_VOLATILITY_PERCENT | +1             | SIM_VOLATILITY_PERCENT must be a number from 0 to 10, got '+1'",
      "SIM_VOLATILITY_PERCENT | 0.0000000001   | SIM_VOLATILITY_PERCENT must be a number from 0 to 10, got '0.0000000001'",
      "SIM_PARTIAL_FILL_QTY | 1234567890123456789012345678901234567890 | SIM_PARTIAL_FILL_QTY must be a number from 0.000000001 to 1000000000",
      "SIGNIFICANCE_PERCENT | 0.1234567890123456789012345678901234567890 | SIGNIFICANCE_PERCENT must be a percentage from 0 to 100",
      "SIM_CLOCK         | sometimes           | SIM_CLOCK must be always_open or us_market_hours, got 'sometimes'",
      "BROKER_API_URL    | ftp://broker        | BROKER_API_URL must be a URL with scheme http or https and a host",
      "BIND_HOST         | 10.0.0.1:8080       | BIND_HOST must be an IP address or a host name, without a port, got '10.0.0.1:8080'",
      "ADMIN_BIND_HOST   | 300.1.1.1           | ADMIN_BIND_HOST must be an IP address or a host name",
      "CLUSTER_HOST      | 0.0.0.0             | CLUSTER_HOST must be this node's own address, not the wildcard '0.0.0.0'",
      "SIM_BIND_HOST     | 0.0.0.0             | the demo refuses a non-loopback address (SIM_BIND_HOST=0.0.0.0)",
      "ALLOW_PUBLIC_DEMO | maybe               | ALLOW_PUBLIC_DEMO must be true or false, got 'maybe'",
      "DATABASE_URL      | postgresql://h:5432/db?sslmode=sometimes | DATABASE_URL sslmode must be disable, allow, prefer, require, verify-ca or verify-full",
  })
  void refusesBadValues(String name, String value, String message) {
    assertThatThrownBy(() -> ConfigLoader.load(Map.of(name, value)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  @DisplayName("the event bus's TLS files are optional on loopback and read when all three are set")
  void clusterTls() throws IOException {
    assertThat(ConfigLoader.load(Map.of("CLUSTER_HOST", "127.0.0.1")).clusterTls()).isEmpty();
    Map<String, String> files = new HashMap<>(Map.of("CLUSTER_HOST", "10.0.0.5"));
    for (String name : List.of("CLUSTER_TLS_CERT_PATH", "CLUSTER_TLS_KEY_PATH", "CLUSTER_TLS_CA_PATH")) {
      files.put(name, Files.writeString(dir.resolve(name + ".pem"), "pem").toString());
    }

    NodeConfig config = ConfigLoader.load(files);

    assertThat(config.clusterTls()).hasValueSatisfying(tls ->
        assertThat(tls.caPath()).isEqualTo(dir.resolve("CLUSTER_TLS_CA_PATH.pem")));
    files.put("CLUSTER_TLS_KEY_PATH", dir.resolve("missing.pem").toString());
    assertThatThrownBy(() -> ConfigLoader.load(files)).hasMessageStartingWith("CLUSTER_TLS_KEY_PATH")
        .hasMessageContaining("is not a readable file");
  }

  @Test
  @DisplayName("a bad value of a role the node does not run still stops the node at start")
  void checksEverySettingWhateverTheRoles() {
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("ROLES", "stream", "ORDER_LEASE_SECONDS", "1")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("ORDER_LEASE_SECONDS must be a whole number from 2 to 600, got '1'");
  }

  @Test
  @DisplayName("every default satisfies its own rule, and the typed readers return the defaults")
  void defaultsSatisfyTheirRules() {
    NodeConfig config = ConfigLoader.load(Map.of());

    assertThat(config.settings().integer(Setting.ORDER_WORKERS)).isEqualTo(4);
    assertThat(config.settings().longValue(Setting.SIM_SEED)).isEqualTo(42L);
    assertThat(config.settings().decimal(Setting.SIM_VOLATILITY_PERCENT)).isEqualByComparingTo("0.1");
    assertThat(config.settings().choice(Setting.SIM_CLOCK)).isEqualTo("always_open");
    assertThat(config.settings().url(Setting.BROKER_API_URL)).isEmpty();
  }

  @Test
  @DisplayName("an unknown key in the JSON file is a typo, not silently ignored")
  void refusesUnknownJsonKey() throws IOException {
    Path file = dir.resolve("typo.json");
    Files.writeString(file, "{\"PROT\": 7000}");

    assertThatThrownBy(() -> ConfigLoader.load(Map.of("CONFIG_FILE", file.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown setting 'PROT'");
  }

  @Test
  @DisplayName("a missing or malformed JSON file is named")
  void refusesBadJsonFile() throws IOException {
    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{PORT: ");

    assertThatThrownBy(() -> ConfigLoader.load(Map.of("CONFIG_FILE", broken.toString())))
        .isInstanceOf(ConfigException.class).hasMessageContaining("is not a JSON object");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("CONFIG_FILE", dir.resolve("none.json").toString())))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cannot be read");
  }

  @Test
  @DisplayName("secrets never appear in the printable config")
  void hidesSecrets() {
    NodeConfig config = ConfigLoader.load(Map.of("DATABASE_URL", "postgresql://u:hunter2@db:5432/p",
        "DEMO_PASSWORD", "s3cret-demo", "CREDENTIALS_KEY", "c2VjcmV0LWtleQ=="));

    assertThat(config.toString()).doesNotContain("hunter2", "s3cret-demo", "c2VjcmV0LWtleQ==")
        .contains("database=external");
  }
}
