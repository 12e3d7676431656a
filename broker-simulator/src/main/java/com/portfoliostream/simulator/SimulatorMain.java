package com.portfoliostream.simulator;

import com.portfoliostream.common.config.ConfigException;
import com.portfoliostream.common.config.ConfigLoader;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the broker simulator alone: plain (not clustered) Vert.x, no database, the same settings
 * as the node (SIM_PORT, SIM_BIND_HOST, SIM_*). Exit 2 on a bad setting, 1 when it cannot listen.
 */
public final class SimulatorMain {

  private static final Logger LOG = LoggerFactory.getLogger(SimulatorMain.class);

  private SimulatorMain() {}

  public static void main(String[] args) {
    SimulatorSettings settings;
    try {
      settings = SimulatorSettings.from(ConfigLoader.fromEnvironment());
    } catch (ConfigException e) {
      LOG.error("Configuration error: {}", e.getMessage());
      System.exit(2);
      return;
    }
    Vertx vertx = Vertx.vertx();
    vertx.deployVerticle(new SimulatorVerticle(settings)).onFailure(e -> {
      LOG.error("Broker simulator failed to start: {}", e.getMessage());
      vertx.close().onComplete(v -> System.exit(1));
    });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close().await()));
  }
}
