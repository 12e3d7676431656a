package com.portfoliostream.web.auth;

import com.portfoliostream.web.session.PgSessionStore;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import java.util.Optional;
import java.util.UUID;

/** The signed-in user of a session. The session holds only these three strings. */
public record SessionUser(UUID userId, String username, String role) {

  /** The store bounds sessions per this key, and stores none without it. */
  static final String USER_ID = PgSessionStore.OWNER_KEY;
  static final String USERNAME = "username";
  static final String ROLE = "role";

  public static Optional<SessionUser> of(RoutingContext ctx) {
    return of(ctx.session());
  }

  public static Optional<SessionUser> of(Session session) {
    if (session == null || session.isDestroyed()) {
      return Optional.empty();
    }
    String id = session.get(USER_ID);
    if (id == null) {
      return Optional.empty();
    }
    return Optional.of(new SessionUser(UUID.fromString(id), session.get(USERNAME), session.get(ROLE)));
  }

  void storeIn(Session session) {
    session.put(USER_ID, userId.toString());
    session.put(USERNAME, username);
    session.put(ROLE, role);
  }

  public boolean isAdmin() {
    return UserAccounts.ADMIN.equals(role);
  }
}
