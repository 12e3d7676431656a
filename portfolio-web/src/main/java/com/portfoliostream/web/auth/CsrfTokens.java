package com.portfoliostream.web.auth;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.auth.prng.VertxContextPRNG;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * CSRF protection of {@code /api/*} that needs no stored anonymous session. Tokens are those of
 * vertx-web's CSRFHandler ({@code salt.issuedAtMillis.HMAC-SHA256}, signed with WEB_SIGNING_KEY),
 * so tokens issued before an upgrade stay valid. Every state-changing call must echo the cookie in
 * the header (double submit), and the token must carry our signature and be younger than
 * {@link #VALIDITY}. For a signed-in user the token is moreover bound to the session
 * ({@code <sessionId>/<token>} under {@link #HEADER}), so it dies with the session and with a
 * regenerated id, and is kept across calls (renewed once half its validity is gone) so that calls
 * of one session at once never race; for an anonymous caller (the sign-in itself) nothing is
 * stored anywhere and every call gets a new one.
 *
 * <p>Why not vertx-web's CSRFHandler: it has this sessionless mode only when {@code ctx.session()}
 * is null, and after a SessionHandler (lazy or not) it never is; the handler then writes its token
 * into the new session, which makes even a lazy session "used" and stored.
 */
public final class CsrfTokens implements Handler<RoutingContext> {

  /** The header a state-changing call echoes the cookie in; also where the token is left in the context. */
  public static final String HEADER = "X-XSRF-TOKEN";
  /** How long a token is accepted after it was issued (vertx-web's default, the session timeout's). */
  static final Duration VALIDITY = Duration.ofMinutes(30);
  private static final String HMAC = "HmacSHA256";

  private final VertxContextPRNG random;
  private final SecretKeySpec key;
  private final String cookieName;
  private final boolean secure;

  public CsrfTokens(Vertx vertx, String signingKey, String cookieName, boolean secure) {
    this.random = VertxContextPRNG.current(vertx);
    this.key = new SecretKeySpec(signingKey.getBytes(StandardCharsets.UTF_8), HMAC);
    this.cookieName = cookieName;
    this.secure = secure;
  }

  @Override
  public void handle(RoutingContext ctx) {
    switch (ctx.request().method().name()) {
      case "GET", "HEAD" -> offer(ctx);
      case "POST", "PUT", "PATCH", "DELETE" -> check(ctx);
      default -> ctx.next();
    }
  }

  /** A signed-in user keeps the session's token while it is valid; anyone else gets a fresh one. */
  private void offer(RoutingContext ctx) {
    Session session = signedInSession(ctx);
    String token = session == null ? null : boundToken(session);
    if (token == null || !fresh(token)) {
      token = issue(ctx, session);
    } else {
      Cookie sent = ctx.request().getCookie(cookieName);
      if (sent == null || !token.equals(sent.getValue())) {
        sendCookie(ctx, token);
      }
      ctx.put(HEADER, token);
    }
    ctx.next();
  }

  private void check(RoutingContext ctx) {
    String header = ctx.request().getHeader(HEADER);
    Cookie cookie = ctx.request().getCookie(cookieName);
    Session session = signedInSession(ctx);
    if (header == null || cookie == null || !same(header, cookie.getValue()) || !signed(header) || !fresh(header)
        || (session != null && !same(header, boundToken(session)))) {
      ctx.fail(403);
      return;
    }
    if (session == null || halfSpent(header)) {
      issue(ctx, session);
    } else {
      // A signed-in user's token lasts as long as the session id it is bound to, renewed once half
      // its validity is gone: rotated on every call, two calls of one session at once (two orders
      // placed together, two tabs) each issued a new one, only one of the two session writes could
      // win, and the client was left holding a token that was never stored: 403 on every call after.
      ctx.put(HEADER, header);
    }
    ctx.next();
  }

  /**
   * After sign-in replaced the session id: binds this request's token to the new id, so the
   * client's next call is accepted without another round trip.
   */
  static void bindToSession(RoutingContext ctx, Session session) {
    String token = ctx.get(HEADER);
    if (token != null) {
      session.put(HEADER, session.id() + "/" + token);
    }
  }

  private String issue(RoutingContext ctx, Session session) {
    byte[] salt = new byte[32];
    random.nextBytes(salt);
    String payload = base64(salt) + "." + System.currentTimeMillis();
    String token = payload + "." + base64(mac(payload));
    if (session != null) {
      session.put(HEADER, session.id() + "/" + token);
    }
    sendCookie(ctx, token);
    ctx.put(HEADER, token);
    return token;
  }

  private void sendCookie(RoutingContext ctx, String token) {
    ctx.response().addCookie(Cookie.cookie(cookieName, token).setPath("/").setSecure(secure)
        .setHttpOnly(false).setSameSite(CookieSameSite.STRICT));
  }

  /** The session of a signed-in user; null for an anonymous caller, whose session is never stored. */
  private static Session signedInSession(RoutingContext ctx) {
    return SessionUser.of(ctx).isPresent() ? ctx.session() : null;
  }

  private static String boundToken(Session session) {
    String bound = session.get(HEADER);
    String prefix = session.id() + "/";
    return bound != null && bound.startsWith(prefix) ? bound.substring(prefix.length()) : null;
  }

  private boolean signed(String token) {
    int lastDot = token.lastIndexOf('.');
    return lastDot > 0 && same(token.substring(lastDot + 1), base64(mac(token.substring(0, lastDot))));
  }

  private static boolean halfSpent(String token) {
    return age(token) > VALIDITY.toMillis() / 2;
  }

  private static boolean fresh(String token) {
    return age(token) <= VALIDITY.toMillis();
  }

  /** Milliseconds since the token was issued; "very old" when it does not say. */
  private static long age(String token) {
    String[] parts = token.split("\\.");
    if (parts.length != 3) {
      return Long.MAX_VALUE;
    }
    try {
      // Only an upper bound matters: a token from a node whose clock runs a little ahead is still good.
      return System.currentTimeMillis() - Long.parseLong(parts[1]);
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  private byte[] mac(String payload) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(key);
      return mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JVM has " + HMAC, e);
    }
  }

  private static boolean same(String a, String b) {
    return b != null && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  private static String base64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
