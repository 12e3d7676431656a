package com.portfoliostream.simulator;

import com.portfoliostream.common.config.NodeConfig;
import com.portfoliostream.common.config.RawSettings;
import com.portfoliostream.common.config.Setting;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * The simulator's settings; see {@link Setting} for the configurable ones. The last four are
 * Alpaca's own limits, fixed in production and shortened only by tests.
 *
 * @param authTimeoutMs market-data connections that have not authenticated by then get 404 and close
 * @param maxSymbols symbols one market-data connection may subscribe to per channel (405 beyond)
 * @param maxQueuedPoints market-data points waiting for one slow connection before 407 and close
 * @param barIntervalMs how often minute bars ({@code b}) are published
 * @param controlToken the bearer token of {@code /sim/control}; blank: the simulator generates one at start
 */
public record SimulatorSettings(
    int port,
    String bindHost,
    long seed,
    int tickIntervalMs,
    BigDecimal volatilityPercent,
    BigDecimal partialFillQty,
    int partialFillDelayMs,
    int requestsPerMinute,
    ClockMode clockMode,
    int authTimeoutMs,
    int maxSymbols,
    int maxQueuedPoints,
    int barIntervalMs,
    String controlToken) {

  /** How {@code /v2/clock} answers and when the simulated trading day closes. */
  public enum ClockMode {
    ALWAYS_OPEN, US_MARKET_HOURS
  }

  /**
   * A simulator on a free loopback port whose prices move only when told (its control API), with
   * small partial fills 20 ms apart and Alpaca's own stream limits: for tests and tools that drive
   * the market themselves.
   */
  public static SimulatorSettings manualMarket(int requestsPerMinute) {
    return new SimulatorSettings(0, "127.0.0.1", 7, 0, new BigDecimal("0.1"), new BigDecimal("100"), 20,
        requestsPerMinute, ClockMode.ALWAYS_OPEN, 10_000, 1_000, 10_000, 60_000, "");
  }

  public static final int AUTH_TIMEOUT_MS = 10_000;
  public static final int MAX_SYMBOLS = 1_000;
  public static final int MAX_QUEUED_POINTS = 10_000;
  public static final int BAR_INTERVAL_MS = 60_000;

  public static SimulatorSettings from(NodeConfig config) {
    RawSettings raw = config.settings();
    return new SimulatorSettings(
        config.simPort(),
        config.simBindHost(),
        raw.longValue(Setting.SIM_SEED),
        raw.integer(Setting.SIM_TICK_INTERVAL_MS),
        raw.decimal(Setting.SIM_VOLATILITY_PERCENT),
        raw.decimal(Setting.SIM_PARTIAL_FILL_QTY),
        raw.integer(Setting.SIM_PARTIAL_FILL_DELAY_MS),
        raw.integer(Setting.SIM_REQUESTS_PER_MINUTE),
        clockMode(raw),
        AUTH_TIMEOUT_MS, MAX_SYMBOLS, MAX_QUEUED_POINTS, BAR_INTERVAL_MS,
        raw.raw(Setting.SIM_CONTROL_TOKEN));
  }

  /** The same settings on another port (tests use 0). */
  public SimulatorSettings withPort(int newPort) {
    return new SimulatorSettings(newPort, bindHost, seed, tickIntervalMs, volatilityPercent, partialFillQty,
        partialFillDelayMs, requestsPerMinute, clockMode, authTimeoutMs, maxSymbols, maxQueuedPoints, barIntervalMs,
        controlToken);
  }

  private static ClockMode clockMode(RawSettings raw) {
    return ClockMode.valueOf(raw.choice(Setting.SIM_CLOCK).toUpperCase(Locale.ROOT));
  }
}
