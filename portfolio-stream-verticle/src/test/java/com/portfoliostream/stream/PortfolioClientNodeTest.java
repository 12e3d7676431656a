package com.portfoliostream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.testkit.BrowserScripts;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The browser client library under Node")
class PortfolioClientNodeTest {

  @Test
  @DisplayName("passes its unit tests: backoff, merge, version guard, reconciliation by version, loss detection, "
      + "1008 handling between tabs, the contract, optimistic orders, the TanStack Query adapter")
  void nodeUnitTests() throws Exception {
    assertNodeTestsPass(List.of("node", "--test", "browser-tests/portfolio-client.test.mjs"));
  }

  @Test
  @DisplayName("its React hooks pass their tests against real React and TanStack Query, rendered under Node")
  void reactHooks() throws Exception {
    assertNodeTestsPass(List.of("node", "--import", "./browser-tests/resolve-packages.mjs",
        "--test", "browser-tests/react-hooks.test.mjs"));
  }

  private static void assertNodeTestsPass(List<String> command) throws Exception {
    BrowserScripts.ensureNodeModules();

    BrowserScripts.Run run = BrowserScripts.run(command, Map.of());

    assertThat(run.exitCode()).as("node --test output:%n%s", run.output()).isZero();
    assertThat(run.output()).contains("# fail 0").doesNotContain("# tests 0");
  }

  @Test
  @DisplayName("its type declarations (portfolio-client.d.ts, react.d.ts) check what an application writes, under tsc --strict")
  void typeDeclarations() throws Exception {
    BrowserScripts.ensureNodeModules();

    BrowserScripts.Run run = BrowserScripts.run(
        List.of("node", "browser-tests/node_modules/typescript/bin/tsc", "-p", "browser-tests/types"), Map.of());

    assertThat(run.exitCode()).as("tsc output:%n%s", run.output()).isZero();
  }
}
