package com.portfoliostream.node;

import com.portfoliostream.common.config.ConfigException;
import com.portfoliostream.common.config.ConfigLoader;
import com.portfoliostream.common.config.NodeConfig;
import com.portfoliostream.common.db.DatabaseUnavailableException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a node from its environment. Fails fast: bad config, an unreachable database or a
 * failed start prints one line and exits non-zero. SIGTERM stops the node gracefully.
 */
public final class Main {

  /** Exit status for configuration the node cannot run with. */
  public static final int EXIT_CONFIG = 2;
  /** Exit status when the database cannot be reached. */
  public static final int EXIT_DATABASE = 3;
  /** Exit status for any other failure to start. */
  public static final int EXIT_START = 1;

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    NodeConfig config;
    try {
      config = ConfigLoader.fromEnvironment();
    } catch (ConfigException e) {
      LOG.error("portfolio-node: invalid configuration: {}", e.getMessage());
      System.exit(EXIT_CONFIG);
      return;
    }
    PortfolioNode node = new PortfolioNode(config);
    Runtime.getRuntime().addShutdownHook(new Thread(node::stop, "node-shutdown"));
    try {
      node.start();
    } catch (Exception e) {
      Throwable cause = rootOf(e);
      if (cause instanceof ConfigException) {
        exit(EXIT_CONFIG, "invalid configuration: " + cause.getMessage());
      } else if (cause instanceof DatabaseUnavailableException) {
        exit(EXIT_DATABASE, cause.getMessage());
      } else {
        exit(EXIT_START, "node failed to start: " + cause);
      }
    }
  }

  /** The config or database failure somewhere in the cause chain, else the failure itself. */
  private static Throwable rootOf(Throwable e) {
    for (Throwable current = e; current != null; current = current.getCause()) {
      if (current instanceof ConfigException || current instanceof DatabaseUnavailableException) {
        return current;
      }
    }
    return e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
  }

  /** Logs the one line, then exits; the shutdown hook releases whatever had started. */
  private static void exit(int status, String message) {
    LOG.error("portfolio-node: {}", message);
    System.exit(status);
  }
}
