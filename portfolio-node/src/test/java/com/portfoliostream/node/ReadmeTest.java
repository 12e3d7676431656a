package com.portfoliostream.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.common.config.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The README")
class ReadmeTest {

  @Test
  @DisplayName("documents every setting the node reads, and the two commands")
  void documentsEverySetting() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));

    for (Setting setting : Setting.values()) {
      assertThat(readme).as(setting.name()).contains("| `" + setting.name() + "` |");
    }
    assertThat(readme).contains("```bash\nbin/portfolio-node\n```").contains("```bash\nbin/test\n```");
    assertThat(Files.readString(Path.of("..", ".ci", "run"))).contains("\nexec bin/test\n");
    assertThat(Files.readString(Path.of("..", "bin", "test"))).contains("\nexec mvn -B verify \"$@\"\n");
  }
}
