package com.portfoliostream.web.auth;

import com.portfoliostream.web.Paths;
import com.portfoliostream.common.NodeContext;
import com.portfoliostream.common.config.Setting;
import com.portfoliostream.common.config.StreamSettings;
import com.portfoliostream.common.security.PasswordHashing;
import com.portfoliostream.common.security.WebSigningKey;
import com.portfoliostream.web.http.ClientAddress;
import com.portfoliostream.web.http.HttpPolicies;
import com.portfoliostream.web.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.Router;
import com.portfoliostream.web.session.PgSessionStore;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.SessionHandler;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The cookie session, CSRF protection of {@code /api/*} and the sign-in routes, set up alike on
 * every HTTP server that needs a signed-in user (the stream edge, the admin console): sessions live
 * in PostgreSQL ({@link com.portfoliostream.web.session.PgSessionStore}), so a cookie issued by one
 * works on the other and on every node, and nothing in Hazelcast can open one. Only signed-in
 * sessions are stored: CSRF tokens of anonymous callers are signed double-submit cookies
 * ({@link CsrfTokens}), so a health check or a failed sign-in writes nothing.
 *
 * <p>Cookies are {@code Secure} when COOKIE_SECURE says so (by default when the node serves TLS),
 * and then carry the {@code __Host-} prefix (Secure, {@code Path=/}, no Domain), which a
 * sibling subdomain or a plain-HTTP page cannot set or overwrite.
 */
public final class WebSessions {

  public static final String SESSION_COOKIE = "session";
  public static final String CSRF_COOKIE = "XSRF-TOKEN";
  /** The prefix of both cookie names when they are Secure. */
  public static final String HOST_PREFIX = "__Host-";
  /** Largest REST body. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  private final Vertx vertx;
  private final NodeContext node;
  private final PgSessionStore store;
  private final String decoyHash;
  private final String csrfSecret;
  /** One bound on password hashes for the node, however many routers mount these routes. */
  private final HashGate hashGate = new HashGate(2 * Runtime.getRuntime().availableProcessors());

  private WebSessions(Vertx vertx, NodeContext node, PgSessionStore store, String decoyHash, String csrfSecret) {
    this.vertx = vertx;
    this.node = node;
    this.store = store;
    this.decoyHash = decoyHash;
    this.csrfSecret = csrfSecret;
  }

  /**
   * Prepares the decoy hash that makes unknown users cost as much as known ones (with the node's
   * PASSWORD_HASH_ITERATIONS, like the users it stands in for), and reads the key every node signs
   * CSRF tokens with (both on a worker).
   */
  public static Future<WebSessions> create(Vertx vertx, NodeContext node, PgSessionStore store) {
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    Future<String> signingKey = vertx.executeBlocking(() -> WebSigningKey.fromConfig(node.config()));
    return PasswordHashing.fromConfig(node.config()).hash(vertx, Base64.getEncoder().encodeToString(random))
        .compose(decoy -> signingKey.map(key -> new WebSessions(vertx, node, store, decoy, key)));
  }

  /**
   * Session on every route; JSON, body limit and CSRF on {@code /api/*}; then the auth routes.
   * May be mounted on several routers (one per event loop): they share the hash bound.
   */
  public void mount(Router router) {
    StreamSettings settings = node.config().stream();
    boolean secure = cookiesSecure(node);
    SessionHandler sessionHandler = SessionHandler.create(store)
        .setSessionCookieName(cookieName(SESSION_COOKIE, secure))
        .setSessionCookiePath("/")
        .setCookieHttpOnlyFlag(true)
        .setCookieSameSite(CookieSameSite.LAX)
        .setCookieSecureFlag(secure)
        .setSessionTimeout(settings.sessionTimeout().toMillis())
        .setLazySession(true);
    router.route().handler(sessionHandler);
    router.route().handler(Responses.rememberSessionHandler(sessionHandler, cookieName(SESSION_COOKIE, secure)));
    router.route(Paths.API_ALL).handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES));
    router.route(Paths.API_ALL).handler(HttpPolicies::requireJson);
    router.route(Paths.API_ALL).handler(HttpPolicies::enterCsrf);
    router.route(Paths.API_ALL).handler(new CsrfTokens(vertx, csrfSecret, cookieName(CSRF_COOKIE, secure), secure));
    router.route(Paths.API_ALL).handler(HttpPolicies::leaveCsrf);
    new AuthRoutes(vertx, node.pool(), store, decoyHash,
        new ClientAddress(node.config().settings().cidrs(Setting.TRUSTED_PROXIES)), hashGate).mount(router);
  }

  /** COOKIE_SECURE, by default whether the node serves TLS itself. */
  static boolean cookiesSecure(NodeContext node) {
    return node.config().settings().flag(Setting.COOKIE_SECURE, node.config().stream().tls().isPresent());
  }

  /** {@code name}, with the {@code __Host-} prefix when the cookie is Secure. */
  public static String cookieName(String name, boolean secure) {
    return secure ? HOST_PREFIX + name : name;
  }
}
