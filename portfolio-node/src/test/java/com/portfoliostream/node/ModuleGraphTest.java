package com.portfoliostream.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The module graph reads top-down: node → verticle modules → broker-client / portfolio-web →
 * portfolio-demo / portfolio-common → portfolio-events, with portfolio-testkit beside common for
 * tests. A verticle module never depends on another, in any scope, but for the broker simulator:
 * it is the broker of the ingest tests. Tests that run several roles together live in the node.
 */
@DisplayName("The module graph")
class ModuleGraphTest {

  private static final Path ROOT = Path.of("..");
  private static final Set<String> VERTICLES = Set.of("portfolio-stream-verticle", "broker-ingest-verticle",
      "order-queue-verticle", "admin-verticle", "broker-simulator");
  /** What each module may depend on among ours (any scope). */
  private static final Map<String, Set<String>> ALLOWED = allowed();

  private static Map<String, Set<String>> allowed() {
    Set<String> base = Set.of("portfolio-events", "portfolio-common", "portfolio-demo", "portfolio-testkit");
    Map<String, Set<String>> allowed = new LinkedHashMap<>();
    allowed.put("portfolio-events", Set.of());
    allowed.put("portfolio-common", Set.of("portfolio-events"));
    allowed.put("portfolio-demo", Set.of("portfolio-common"));
    allowed.put("portfolio-testkit", Set.of("portfolio-common", "portfolio-demo"));
    Set<String> shared = Set.of("portfolio-events", "portfolio-common", "portfolio-testkit");
    allowed.put("portfolio-web", shared);
    allowed.put("broker-client", shared);
    allowed.put("portfolio-stream-verticle", union(base, Set.of("portfolio-web")));
    // The admin API tests a broker key (GET /v2/account) before it links it.
    allowed.put("admin-verticle", union(base, Set.of("portfolio-web", "broker-client")));
    allowed.put("order-queue-verticle", union(base, Set.of("broker-client")));
    allowed.put("broker-ingest-verticle", union(base, Set.of("broker-client", "broker-simulator")));
    allowed.put("broker-simulator", base);
    // Test-only: checks the operators' files against the settings and paths they must match.
    allowed.put("deploy", Set.of("portfolio-events", "portfolio-common", "portfolio-web", "portfolio-testkit"));
    return allowed;
  }

  @Test
  @DisplayName("has no sideways edge between verticle modules and no edge upwards")
  void readsTopDown() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<String, Set<String>> module : ALLOWED.entrySet()) {
      for (String dependency : ourDependencies(module.getKey())) {
        if (!module.getValue().contains(dependency)) {
          wrong.add(module.getKey() + " -> " + dependency);
        }
      }
    }
    assertThat(wrong).as("edges the graph does not allow").isEmpty();
    assertThat(ALLOWED.keySet()).containsAll(VERTICLES);
  }

  private static List<String> ourDependencies(String module) throws Exception {
    Path pom = ROOT.resolve(module).resolve("pom.xml");
    assertThat(pom).exists();
    Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(Files.newInputStream(pom)).getDocumentElement();
    NodeList dependencies = project.getElementsByTagName("dependency");
    List<String> ours = new ArrayList<>();
    for (int i = 0; i < dependencies.getLength(); i++) {
      Element dependency = (Element) dependencies.item(i);
      String group = dependency.getElementsByTagName("groupId").item(0).getTextContent().trim();
      if (group.equals("com.portfoliostream")) {
        ours.add(dependency.getElementsByTagName("artifactId").item(0).getTextContent().trim());
      }
    }
    return ours;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new java.util.HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }
}
