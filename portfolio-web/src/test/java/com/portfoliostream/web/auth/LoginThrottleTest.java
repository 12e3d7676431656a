package com.portfoliostream.web.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The sign-in throttle on PostgreSQL")
class LoginThrottleTest {

  static TestDatabase database;
  static Vertx vertx;
  static Pool pool;
  static LoginThrottle throttle;

  @BeforeAll
  static void start() throws Exception {
    database = TestDatabase.start();
    vertx = Vertx.vertx();
    pool = database.pool(vertx);
    throttle = new LoginThrottle(pool);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
    database.close();
  }

  @Test
  @DisplayName("1 000 parallel attempts for one username from one address: exactly the allowed ones go on")
  void parallelAttemptsAreReservedAtomically() throws Exception {
    String user = "user-" + UUID.randomUUID();
    List<Future<LoginThrottle.Verdict>> attempts = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      attempts.add(throttle.reserve(user, "10.0.0.1"));
    }
    Future.join(attempts).await(60, TimeUnit.SECONDS);

    long allowed = attempts.stream().filter(a -> !a.result().refused()).count();
    assertThat(allowed).isEqualTo(LoginThrottle.LOCK_AFTER);
  }

  @Test
  @DisplayName("a username locked from one address still signs in from another")
  void lockIsPerUsernameAndAddress() throws Exception {
    String user = "user-" + UUID.randomUUID();
    for (int i = 0; i < LoginThrottle.LOCK_AFTER; i++) {
      assertThat(throttle.reserve(user, "10.0.0.2").await(10, TimeUnit.SECONDS).refused()).isFalse();
    }

    assertThat(throttle.reserve(user, "10.0.0.2").await(10, TimeUnit.SECONDS).refused()).isTrue();
    assertThat(throttle.reserve(user, "10.0.0.3").await(10, TimeUnit.SECONDS).refused()).isFalse();
  }

  @Test
  @DisplayName("a success forgets the username's failures at that address")
  void successForgets() throws Exception {
    String user = "user-" + UUID.randomUUID();
    for (int i = 0; i < LoginThrottle.LOCK_AFTER - 1; i++) {
      throttle.reserve(user, "10.0.0.4").await(10, TimeUnit.SECONDS);
    }
    throttle.succeeded(user, "10.0.0.4").await(10, TimeUnit.SECONDS);

    for (int i = 0; i < LoginThrottle.LOCK_AFTER; i++) {
      assertThat(throttle.reserve(user, "10.0.0.4").await(10, TimeUnit.SECONDS).refused()).as("attempt " + i).isFalse();
    }
  }

  @Test
  @DisplayName("an address is refused after 100 attempts whatever the usernames")
  void addressLock() throws Exception {
    for (int i = 0; i < LoginThrottle.ADDRESS_LOCK_AFTER; i++) {
      assertThat(throttle.reserve("spray-" + i, "10.0.0.5").await(10, TimeUnit.SECONDS).refused()).isFalse();
    }

    assertThat(throttle.reserve("spray-new", "10.0.0.5").await(10, TimeUnit.SECONDS).refused()).isTrue();
  }

  @Test
  @DisplayName("failures slow a username down before they lock it")
  void slowsDown() {
    assertThat(LoginThrottle.verdict(1, 1, 1).delayMs()).isZero();
    assertThat(LoginThrottle.verdict(4, 4, LoginThrottle.SLOW_DOWN_AFTER + 1).delayMs()).isEqualTo(250);
    assertThat(LoginThrottle.verdict(10, 10, 50).delayMs()).isEqualTo(2_000);
    assertThat(LoginThrottle.verdict(LoginThrottle.LOCK_AFTER + 1, 1, 1).refused()).isTrue();
  }
}
