package com.portfoliostream.web.auth;

import com.portfoliostream.web.Paths;
import com.portfoliostream.common.security.PasswordHashing;
import com.portfoliostream.events.protocol.BusAddresses;
import com.portfoliostream.web.http.ApiError;
import com.portfoliostream.web.http.ClientAddress;
import com.portfoliostream.web.http.Responses;
import com.portfoliostream.web.session.PgSessionStore;
import com.portfoliostream.web.session.SessionHash;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import io.vertx.sqlclient.Pool;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/auth/login}, {@code POST /api/auth/logout}, {@code GET /api/auth/me}.
 * Passwords are checked on a worker thread; an unknown user costs the same time as a wrong
 * password, so usernames cannot be probed by timing.
 */
public final class AuthRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(AuthRoutes.class);

  private final Vertx vertx;
  private final UserDirectory users;
  private final LoginThrottle throttle;
  private final PasswordHashing hashing = new PasswordHashing();
  /** Two hashes per core at once: enough for honest sign-ins, not enough to starve the node. */
  private final HashGate gate;
  private final String decoyHash;
  private final ClientAddress clients;
  private final PgSessionStore sessions;

  AuthRoutes(Vertx vertx, Pool pool, PgSessionStore sessions, String decoyHash, ClientAddress clients, HashGate gate) {
    this.gate = gate;
    this.clients = clients;
    this.sessions = sessions;
    this.vertx = vertx;
    this.users = new UserDirectory(pool);
    this.throttle = new LoginThrottle(pool);
    vertx.setPeriodic(LoginThrottle.WINDOW.toMillis(), id -> throttle.purge()
        .onFailure(e -> LOG.debug("Could not purge lapsed sign-in attempts: {}", e.getMessage())));
    this.decoyHash = decoyHash;
  }

  public void mount(Router router) {
    router.post(Paths.LOGIN).handler(this::login);
    router.post(Paths.LOGOUT).handler(this::logout);
    router.get(Paths.ME).handler(this::me);
  }

  /** Fails the request with 401 unless a user is signed in. */
  public static void requireUser(RoutingContext ctx) {
    if (SessionUser.of(ctx).isEmpty()) {
      ApiError.UNAUTHENTICATED.send(ctx, "Sign in first");
      return;
    }
    ctx.next();
  }

  /** Fails the request with 401 unless a user is signed in, 403 unless that user is an admin. */
  public static void requireAdmin(RoutingContext ctx) {
    Optional<SessionUser> user = SessionUser.of(ctx);
    if (user.isEmpty()) {
      ApiError.UNAUTHENTICATED.send(ctx, "Sign in first");
    } else if (!user.get().isAdmin()) {
      ApiError.FORBIDDEN.send(ctx, "Administrators only");
    } else {
      ctx.next();
    }
  }

  private void login(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      ApiError.INVALID_REQUEST.send(ctx, "The body must be a JSON object {username, password}");
      return;
    }
    Map<String, Object> problems = new LinkedHashMap<>();
    String username = text(body, "username", Usernames.MAX_LENGTH, problems);
    String password = text(body, "password", UserAccounts.MAX_PASSWORD_LENGTH, problems);
    if (!problems.isEmpty()) {
      ApiError.INVALID_REQUEST.send(ctx, "username and password are required", problems);
      return;
    }
    String name = Usernames.normalize(username);
    String address = clients.of(ctx.request());
    throttle.reserve(name, address).onComplete(verdict -> {
      if (verdict.failed()) {
        ctx.fail(verdict.cause());
      } else if (verdict.result().refused()) {
        ctx.response().putHeader("Retry-After", Long.toString(LoginThrottle.WINDOW.toSeconds()));
        ApiError.TOO_MANY_ATTEMPTS.send(ctx, "Too many failed sign-ins; try again later");
      } else {
        delay(verdict.result().delayMs()).onComplete(v -> check(ctx, name, address, password));
      }
    });
  }

  /** Hashes the password if the node has room, else refuses at once: the attempt stays counted. */
  private void check(RoutingContext ctx, String name, String address, String password) {
    if (!gate.enter(name)) {
      ctx.response().putHeader("Retry-After", "1");
      ApiError.SIGN_IN_BUSY.send(ctx, "Too many sign-ins at once; try again in a second");
      return;
    }
    authenticate(name, password)
        .onComplete(done -> gate.leave(name))
        .onSuccess(user -> finishLogin(ctx, name, address, user))
        .onFailure(ctx::fail);
  }

  /** The user whose password this is, if any. */
  private Future<Optional<UserDirectory.StoredUser>> authenticate(String username, String password) {
    return users.byUsername(username).compose(found -> {
      String hash = found.map(UserDirectory.StoredUser::passwordHash).orElse(decoyHash);
      return hashing.verify(vertx, hash, password)
          .map(ok -> ok && found.isPresent() ? found : Optional.<UserDirectory.StoredUser>empty());
    });
  }

  private void finishLogin(RoutingContext ctx, String username, String address, Optional<UserDirectory.StoredUser> stored) {
    if (stored.isEmpty()) {
      ApiError.INVALID_CREDENTIALS.send(ctx, "Invalid username or password");
      return;
    }
    if (stored.get().disabled()) {
      // Said only to someone who knows the password: a guesser learns nothing.
      LOG.info("Sign-in of disabled user {} refused", stored.get().user().userId());
      ApiError.ACCOUNT_DISABLED.send(ctx, "This account is disabled; ask your administrator");
      return;
    }
    Optional<SessionUser> user = Optional.of(stored.get().user());
    throttle.succeeded(username, address).compose(v -> sessions.hasRoom()).onComplete(room -> {
      if (room.failed()) {
        ctx.fail(room.cause());
      } else if (!room.result()) {
        // Full: refuse the newcomer rather than evict someone else's session.
        LOG.warn("Sign-in of user {} refused: the session table is full", user.get().userId());
        ctx.response().putHeader("Retry-After", "60");
        ApiError.SESSIONS_FULL.send(ctx, "Too many signed-in sessions; try again later");
      } else {
        startSession(ctx, user.get());
      }
    });
  }

  /** A fresh id (no fixation), the CSRF token bound to it, the user; stored before the response. */
  private static void startSession(RoutingContext ctx, SessionUser user) {
    Session session = ctx.session();
    session.regenerateId();
    CsrfTokens.bindToSession(ctx, session);
    user.storeIn(session);
    LOG.info("User {} signed in", user.userId());
    Responses.send(ctx, 200, describe(user).encode());
  }

  private void logout(RoutingContext ctx) {
    Session session = ctx.session();
    Optional<SessionUser> user = SessionUser.of(session);
    if (user.isPresent()) {
      vertx.eventBus().publish(BusAddresses.SESSION_REVOKED,
          new JsonObject().put(BusAddresses.SESSION_HASH_FIELD, SessionHash.of(session.id())));
      LOG.info("User {} signed out", user.get().userId());
    }
    session.destroy();
    Responses.send(ctx, 204, null);
  }

  private void me(RoutingContext ctx) {
    Optional<SessionUser> user = SessionUser.of(ctx);
    if (user.isEmpty()) {
      ApiError.UNAUTHENTICATED.send(ctx, "Sign in first");
      return;
    }
    Responses.send(ctx, 200, describe(user.get()).encode());
  }

  private static JsonObject describe(SessionUser user) {
    return new JsonObject().put("userId", user.userId().toString())
        .put("username", user.username()).put("role", user.role());
  }

  private Future<Void> delay(long millis) {
    if (millis <= 0) {
      return Future.succeededFuture();
    }
    return vertx.timer(millis).mapEmpty();
  }

  private static String text(JsonObject body, String field, int maxLength, Map<String, Object> problems) {
    Object value = body == null ? null : body.getValue(field);
    if (!(value instanceof String text) || text.isBlank()) {
      problems.put(field, "required, a non-empty string");
      return null;
    }
    if (text.length() > maxLength) {
      problems.put(field, "at most " + maxLength + " characters");
      return null;
    }
    return text;
  }
}
