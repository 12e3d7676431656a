package com.portfoliostream.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The documentation for people")
class DocsLinksTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  /** A Markdown link or image with a relative target: [text](target) or ![alt](target). */
  private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s#]+)(#[^)]*)?\\)");

  @Test
  @DisplayName("the README links the user guide and the runbook, and every relative link and screenshot in them resolves")
  void linksResolve() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    assertThat(readme).contains("(docs/user/real-time-updates.md)", "(docs/runbooks/websocket-operations.md)");
    List<String> broken = new ArrayList<>();
    List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
    }
    int images = 0;
    for (Path page : pages) {
      Matcher m = LINK.matcher(Files.readString(page));
      while (m.find()) {
        String target = m.group(1);
        if (target.contains("://") || target.startsWith("mailto:")) {
          continue;
        }
        if (m.group().startsWith("!")) {
          images++;
        }
        if (!Files.exists(page.getParent().resolve(target).normalize())) {
          broken.add(ROOT.relativize(page) + " -> " + target);
        }
      }
    }
    assertThat(broken).as("links that do not resolve").isEmpty();
    assertThat(images).as("screenshots in the docs").isGreaterThanOrEqualTo(7);
  }
}
