package com.portfoliostream.web;

/**
 * Every route path a node serves, typed once: the stream edge on PORT, the management server on
 * ADMIN_PORT. Routers, redirects, {@code Location} headers and tests import them from here; the
 * API documents in {@code docs/api/} are checked against the routers that use them.
 */
public final class Paths {

  /** Redirected to the dashboard (edge) or the admin console (admin role). */
  public static final String ROOT = "/";

  // The stream edge.
  public static final String PORTFOLIO_SOCKET = "/ws/portfolio";
  /** Everything under it gets the JSON body limit, the JSON content-type rule and CSRF. */
  public static final String API_ALL = "/api/*";
  /** Public: version, node id and features; the first GET hands out the CSRF cookie. */
  public static final String API_HEALTH = "/api/health";
  public static final String LOGIN = "/api/auth/login";
  public static final String LOGOUT = "/api/auth/logout";
  public static final String ME = "/api/auth/me";
  public static final String POSITIONS = "/api/positions";
  public static final String ORDERS = "/api/orders";
  public static final String ORDER = ORDERS + "/:orderId";
  public static final String ACCOUNT = "/api/account";
  public static final String TRADES = "/api/trades";
  public static final String CLIENT_EVENTS = "/api/client-events";
  /** The trader dashboard. */
  public static final String APP = "/app/";
  /** The browser client library ({@code portfolio-client}). */
  public static final String CLIENT = "/client/";

  // Every node's management server (liveness and readiness on the edge's port too).
  public static final String METRICS = "/metrics";
  public static final String LIVENESS = "/health";
  public static final String READINESS = "/readiness";

  // The admin role, on the management server.
  public static final String ADMIN_API_ALL = "/api/admin/*";
  public static final String ADMIN_STATS = "/api/admin/websocket-stats";
  public static final String ADMIN_CONSOLE = "/admin/";

  private Paths() {}

  /** Where one order is found: the {@code Location} of a placed order. */
  public static String order(Object orderId) {
    return ORDERS + "/" + orderId;
  }

  /** The route of everything under a folder path such as {@link #APP}. */
  public static String under(String folder) {
    return folder + "*";
  }
}
