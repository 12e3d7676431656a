package com.portfoliostream.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.portfoliostream.admin.stats.StatusRules;
import com.portfoliostream.common.metrics.MetricNames;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The Prometheus rules and the Grafana dashboard under deploy/")
class AlertRulesTest {

  private static final Path PROMETHEUS = Path.of("..", "deploy", "prometheus");
  private static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "portfolio-streaming.json");
  private static final Pattern OUR_SERIES = Pattern.compile("\\b((?:websocket|broker|order)_[a-z_]+)");
  private static final Pattern SUFFIX = Pattern.compile("_(total|bucket|sum|count)$");

  @Test
  @DisplayName("alerts.yml passes promtool check rules, and its promtool unit tests pass")
  void rulesPassPromtool() throws Exception {
    assertThat(promtool("check", "rules", "alerts.yml")).contains("SUCCESS: 11 rules found");
    assertThat(promtool("test", "rules", "alerts_test.yml")).contains("SUCCESS");
    assertThat(promtool("check", "config", "prometheus.yml")).contains("valid prometheus config");
  }

  @Test
  @DisplayName("alerts.yml holds the design's four alerts and the admin status thresholds, on named series only")
  void rulesCoverTheThresholds() throws Exception {
    String rules = Files.readString(PROMETHEUS.resolve("alerts.yml"));
    assertThat(rules).contains("alert: WebSocketHighDisconnectRate", "alert: WebSocketHighEventLatency",
        "alert: WebSocketServiceDown", "alert: AlpacaStreamSilent", "alert: BrokerEventsStale",
        "alert: WebSocketHighErrorRate", "alert: OrderJobsDeadLettered", "alert: OrderQueueBacklog",
        "alert: WebSocketConnectionsDropped", "alert: JvmHeapGrowingSteadily");
    assertThat(unknownSeries(rules)).isEmpty();
    assertThat(rules).as("the same thresholds as the admin status").contains(
        "sum(increase(websocket_disconnects_total[1m])) > " + (long) StatusRules.MAX_DISCONNECTS_PER_MINUTE,
        "rate(websocket_event_latency_ms_bucket[5m]))) > " + (long) StatusRules.MAX_P95_LATENCY_MS,
        "broker_streams_owned > 0) > " + StatusRules.MAX_BROKER_SILENCE_SECONDS,
        "> " + StatusRules.MAX_ERROR_RATE);
  }

  @Test
  @DisplayName("the dashboard is Grafana JSON whose every query is valid PromQL over named series")
  void dashboardIsValid(@TempDir Path dir) throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    assertThat(dashboard.path("uid").asText()).isNotBlank();
    assertThat(dashboard.path("title").asText()).isNotBlank();
    List<String> expressions = new ArrayList<>();
    Set<Integer> ids = new HashSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      assertThat(ids.add(panel.path("id").asInt())).as("panel ids are unique").isTrue();
      assertThat(panel.path("title").asText()).isNotBlank();
      assertThat(panel.path("gridPos").path("w").asInt()).isBetween(1, 24);
      assertThat(panel.path("targets")).isNotEmpty();
      panel.path("targets").forEach(t -> expressions.add(t.path("expr").asText()));
    }
    assertThat(expressions).hasSizeGreaterThan(10);
    assertThat(unknownSeries(String.join("\n", expressions))).isEmpty();

    // promtool has no query checker: every expression becomes a recording rule it must accept.
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
    for (int i = 0; i < expressions.size(); i++) {
      rules.append("      - record: dashboard:query_").append(i).append("\n        expr: '")
          .append(expressions.get(i).replace("'", "''")).append("'\n");
    }
    Files.writeString(dir.resolve("dashboard-queries.yml"), rules);
    assertThat(run(dir, "promtool", "check", "rules", "dashboard-queries.yml"))
        .contains("SUCCESS: " + expressions.size() + " rules found");
  }

  /** Series of ours (websocket_, broker_, order_) referenced but not named in MetricNames. */
  private static Set<String> unknownSeries(String text) throws IllegalAccessException {
    Set<String> named = new HashSet<>();
    for (Field field : MetricNames.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
        named.add((String) field.get(null));
      }
    }
    Set<String> unknown = new HashSet<>();
    Matcher matcher = OUR_SERIES.matcher(text);
    while (matcher.find()) {
      String series = matcher.group(1);
      if (!named.contains(series) && !named.contains(SUFFIX.matcher(series).replaceFirst(""))) {
        unknown.add(series);
      }
    }
    return unknown;
  }

  private static String promtool(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("promtool"));
    command.addAll(List.of(args));
    return run(PROMETHEUS, command.toArray(String[]::new));
  }

  private static String run(Path dir, String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finishes").isTrue();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }
}
