package com.portfoliostream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.common.config.ConfigLoader;
import com.portfoliostream.common.config.Role;
import com.portfoliostream.common.config.Setting;
import com.portfoliostream.testkit.LauncherFlags;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The systemd unit and its files under deploy/systemd")
class SystemdUnitTest {

  private static final Path SYSTEMD = Commands.REPOSITORY.resolve("deploy/systemd");
  private static final Path UNIT = SYSTEMD.resolve("portfolio-node@.service");
  private static final List<String> INSTANCES = List.of("edge", "broker");
  /** Order jobs in flight get up to 20 s to finish after the drain (README, "The order queue"). */
  private static final int ORDER_JOBS_FINISH_SECONDS = 20;
  /** Read by the launcher (the unit's ExecStart) or by the drain the node is getting, not Settings yet. */
  private static final Set<String> LAUNCHER_VARIABLES = Set.of("JAVA_OPTS");

  @TempDir Path dir;

  @Test
  @DisplayName("passes systemd-analyze verify without a single complaint")
  void verifies() throws Exception {
    Commands.assumeInstalled("systemd-analyze", "it comes with Debian's systemd package");
    Files.copy(UNIT, dir.resolve(UNIT.getFileName()));
    Path instance = Files.createSymbolicLink(dir.resolve("portfolio-node@edge.service"), UNIT.getFileName());

    Commands.Result verify = Commands.run(Map.of(), List.of("systemd-analyze", "verify", instance.toString()));

    // verify exits 0 on unknown keys and bad values too, and only says so: any output is a finding.
    assertThat(verify.output()).isEmpty();
    assertThat(verify.exitCode()).isZero();
  }

  @Test
  @DisplayName("stops with SIGTERM, counts exit 143 as clean, and waits longer than the drain and the order jobs")
  void stopping() throws Exception {
    Map<String, List<String>> service = service();
    assertThat(service.get("KillSignal")).containsExactly("SIGTERM");
    assertThat(service.get("SuccessExitStatus")).containsExactly("143");
    assertThat(service.get("RestartPreventExitStatus")).as("a bad setting (exit 2) is not retried").containsExactly("2");
    int timeout = Integer.parseInt(service.get("TimeoutStopSec").get(0));
    for (String instance : INSTANCES) {
      int drain = Integer.parseInt(environmentFile(instance).get("DRAIN_SECONDS"));
      assertThat(timeout).as(instance).isGreaterThan(drain + ORDER_JOBS_FINISH_SECONDS);
    }
  }

  @Test
  @DisplayName("runs as its own user with no capability, a read-only system and DATA_DIR its only writable place")
  void hardening() throws Exception {
    Map<String, List<String>> service = service();
    assertThat(service.get("User")).containsExactly("portfolio");
    assertThat(Files.readString(SYSTEMD.resolve("portfolio-node.sysusers.conf"))).contains("u portfolio ");
    assertThat(service.get("CapabilityBoundingSet")).containsExactly("");
    assertThat(service.get("AmbientCapabilities")).containsExactly("");
    for (String yes : List.of("NoNewPrivileges", "ProtectHome", "PrivateTmp", "PrivateDevices", "ProtectKernelTunables",
        "ProtectKernelModules", "ProtectControlGroups", "RestrictNamespaces", "RestrictSUIDSGID", "LockPersonality")) {
      assertThat(service.get(yes)).as(yes).containsExactly("yes");
    }
    assertThat(service.get("ProtectSystem")).containsExactly("strict");
    assertThat(service.get("RestrictAddressFamilies")).containsExactly("AF_INET AF_INET6 AF_UNIX");
    assertThat(service.get("StateDirectory")).containsExactly("portfolio-node/%i");
    assertThat(service.get("Environment")).contains("DATA_DIR=/var/lib/portfolio-node/%i");
  }

  @Test
  @DisplayName("starts java with exactly the flags of bin/portfolio-node")
  void sameJvmFlagsAsTheLauncher() throws Exception {
    List<String> words = Arrays.asList(service().get("ExecStart").get(0).split("\\s+"));
    assertThat(words.get(0)).isEqualTo("/usr/bin/java");
    int jar = words.indexOf("-jar");
    assertThat(words.subList(jar, words.size())).containsExactly("-jar", "/opt/portfolio-node/portfolio-node-all.jar");
    assertThat(words.get(jar - 1)).isEqualTo("$JAVA_OPTS");
    assertThat(LauncherFlags.normalized(words.subList(1, jar - 1))).isEqualTo(LauncherFlags.of(Commands.REPOSITORY));
  }

  @Test
  @DisplayName("keeps secrets out of the environment: they come as a credential the node reads as CONFIG_FILE")
  void secretsAsCredentials() throws Exception {
    Map<String, List<String>> service = service();
    assertThat(service.get("LoadCredential")).contains("secrets.json:/etc/portfolio-node/%i.secrets.json");
    assertThat(service.get("Environment")).contains("CONFIG_FILE=%d/secrets.json");
    for (String instance : INSTANCES) {
      Map<String, String> settings = environmentFile(instance);
      assertThat(settings.keySet()).as(instance + ".env names settings the node knows")
          .allMatch(name -> Setting.named(name).isPresent() || LAUNCHER_VARIABLES.contains(name));
      assertThat(settings.keySet()).as(instance + ".env holds no secret")
          .noneMatch(name -> Setting.named(name).map(Setting::isSecret).orElse(false));
      JsonObject secrets = secretsExample(instance);
      assertThat(secrets.fieldNames()).isNotEmpty().allSatisfy(name -> assertThat(Setting.named(name)).as(name)
          .hasValueSatisfying(setting -> assertThat(setting.isSecret()).isTrue()));
      assertThat(secrets.fieldNames()).allSatisfy(name -> assertThat(secrets.getString(name)).as("a placeholder").contains("REPLACE"));
    }
  }

  @Test
  @DisplayName("each environment file, with its secrets filled in, is a config the node accepts, with the roles its name says")
  void environmentFilesLoad() throws Exception {
    Map<String, Set<Role>> roles = Map.of("edge", Set.of(Role.STREAM), "broker", Set.of(Role.INGEST, Role.ORDERS, Role.ADMIN));
    for (String instance : INSTANCES) {
      Map<String, String> environment = new HashMap<>(environmentFile(instance));
      environment.putAll(TestSecrets.clusterTls(dir));
      environment.putAll(TestSecrets.filledIn(secretsExample(instance).fieldNames()));
      assertThat(ConfigLoader.load(environment).roles()).as(instance).isEqualTo(roles.get(instance));
    }
    assertThat(environmentFile("edge")).containsEntry("PROXY_PROTOCOL", "true").containsKey("TRUSTED_PROXIES")
        .containsEntry("COOKIE_SECURE", "true").doesNotContainKey("CREDENTIALS_KEY");
  }

  private static JsonObject secretsExample(String instance) throws IOException {
    return new JsonObject(Files.readString(SYSTEMD.resolve(instance + ".secrets.json.example")));
  }

  private static Map<String, List<String>> service() throws IOException {
    Map<String, List<String>> keys = new LinkedHashMap<>();
    boolean inService = false;
    for (String line : Files.readAllLines(UNIT)) {
      if (line.startsWith("[")) {
        inService = line.equals("[Service]");
      } else if (inService && !line.isBlank() && !line.startsWith("#")) {
        int eq = line.indexOf('=');
        keys.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>()).add(line.substring(eq + 1));
      }
    }
    return keys;
  }

  static Map<String, String> environmentFile(String instance) throws IOException {
    Map<String, String> settings = new LinkedHashMap<>();
    for (String line : Files.readAllLines(SYSTEMD.resolve(instance + ".env"))) {
      if (!line.isBlank() && !line.startsWith("#")) {
        int eq = line.indexOf('=');
        settings.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return settings;
  }
}
