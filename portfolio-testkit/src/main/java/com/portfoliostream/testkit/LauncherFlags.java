package com.portfoliostream.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM flags of {@code bin/portfolio-node} (its {@code JVM_FLAGS=( ... )} array): the ones the
 * systemd unit and the container image must repeat (deploy's tests compare them), and the ones a
 * benchmark starts the node it measures with. Flags are given in their one-argument form
 * ({@code --add-opens=X}), which is how the image has to write them and which java accepts.
 */
public final class LauncherFlags {
  private static final Pattern ARRAY = Pattern.compile("(?m)^JVM_FLAGS=\\(\\n(.*?)^\\)", Pattern.DOTALL);
  private static final List<String> TWO_PART = List.of("--add-opens", "--add-exports", "--add-modules");

  private LauncherFlags() {}

  /** The flags of {@code bin/portfolio-node} in the checkout at {@code repository}. */
  public static List<String> of(Path repository) throws IOException {
    String script = Files.readString(repository.resolve("bin").resolve("portfolio-node"));
    Matcher matcher = ARRAY.matcher(script);
    if (!matcher.find()) {
      throw new AssertionError("bin/portfolio-node has no JVM_FLAGS=( ... ) array");
    }
    return normalized(Arrays.asList(matcher.group(1).trim().split("\\s+")));
  }

  /** Joins {@code --add-opens X} into {@code --add-opens=X}; everything else as it is. */
  public static List<String> normalized(List<String> words) {
    List<String> flags = new ArrayList<>();
    for (int i = 0; i < words.size(); i++) {
      String word = words.get(i);
      if (TWO_PART.contains(word) && i + 1 < words.size()) {
        flags.add(word + "=" + words.get(++i));
      } else {
        flags.add(word);
      }
    }
    return flags;
  }
}
