package com.portfoliostream.web.auth;

import static com.portfoliostream.testkit.TestDatabase.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.portfoliostream.common.security.PasswordHashing;
import com.portfoliostream.testkit.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(VertxExtension.class)
@DisplayName("Creating user accounts")
class UserAccountsTest {

  private static final String PASSWORD = "a long enough secret";
  /** The least the setting allows: the tests hash many passwords. */
  private static final PasswordHashing HASHING = new PasswordHashing(PasswordHashing.MIN_ITERATIONS);

  static TestDatabase database;
  static Pool pool;
  UserAccounts accounts;

  @BeforeAll
  static void startDatabase(Vertx vertx) throws Exception {
    database = TestDatabase.start();
    pool = database.pool(vertx);
  }

  @AfterAll
  static void stopDatabase() throws Exception {
    await(pool.close());
    database.close();
  }

  @BeforeEach
  void noUsers(Vertx vertx) throws Exception {
    await(pool.query("DELETE FROM users").execute());
    accounts = new UserAccounts(vertx, pool, HASHING);
  }

  @ParameterizedTest(name = "role {0}")
  @ValueSource(strings = {UserAccounts.TRADER, UserAccounts.ADMIN})
  @DisplayName("a new account is found by sign-in's lookup under its id and role, its password verifying against a hash of the given iterations")
  void creates(String role) throws Exception {
    UUID id = await(accounts.create("desk-7.anna_b", PASSWORD, role));

    UserDirectory.StoredUser stored = await(new UserDirectory(pool).byUsername("desk-7.anna_b")).orElseThrow();
    assertThat(stored.user()).isEqualTo(new SessionUser(id, "desk-7.anna_b", role));
    assertThat(stored.passwordHash()).startsWith("$pbkdf2$it=" + PasswordHashing.MIN_ITERATIONS + "$");
    assertThat(new PasswordHashing().verify(stored.passwordHash(), PASSWORD)).isTrue();
    assertThat(new PasswordHashing().verify(stored.passwordHash(), PASSWORD + "!")).isFalse();
  }

  @Test
  @DisplayName("a taken username is refused as USERNAME_TAKEN, and the first account keeps its password")
  void duplicate() throws Exception {
    UUID first = await(accounts.create("carol", PASSWORD, UserAccounts.TRADER));

    AccountRefused refused = refusal(accounts.create("carol", "another long secret", UserAccounts.ADMIN));

    assertThat(refused.reason()).isEqualTo(AccountRefused.Reason.USERNAME_TAKEN);
    assertThat(refused.getMessage()).contains("carol").doesNotContain("another long secret");
    List<Row> rows = users();
    assertThat(rows).singleElement().satisfies(row -> {
      assertThat(row.getUUID("id")).isEqualTo(first);
      assertThat(row.getString("role")).isEqualTo(UserAccounts.TRADER);
      assertThat(HASHING.verify(row.getString("password_hash"), PASSWORD)).isTrue();
    });
  }

  @Test
  @DisplayName("of eight creations of one username at once, exactly one succeeds and the others are USERNAME_TAKEN")
  void concurrentDuplicates() throws Exception {
    List<Future<UUID>> attempts = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      attempts.add(accounts.create("dave", PASSWORD + i, UserAccounts.TRADER));
    }
    await(Future.join(attempts).otherwiseEmpty());

    assertThat(attempts).filteredOn(Future::succeeded).hasSize(1);
    assertThat(attempts).filteredOn(Future::failed).allSatisfy(f -> assertThat(f.cause())
        .isInstanceOfSatisfying(AccountRefused.class, e -> assertThat(e.reason()).isEqualTo(AccountRefused.Reason.USERNAME_TAKEN)));
    assertThat(users()).hasSize(1);
  }

  @ParameterizedTest(name = "username \"{0}\"")
  @NullAndEmptySource
  @ValueSource(strings = {"Alice", " bob", "bob ", "e", "-eve", ".eve", "eve smith", "eve@desk", "ève",
      "a-username-of-sixty-six-characters-is-two-more-than-sign-in-allows"})
  @DisplayName("a username sign-in could not find, or the users table would refuse, is refused and nothing is written")
  void badUsernames(String username) throws Exception {
    AccountRefused refused = refusal(accounts.create(username, PASSWORD, UserAccounts.TRADER));

    assertThat(refused.reason()).isEqualTo(AccountRefused.Reason.INVALID);
    assertThat(refused.problems()).containsOnlyKeys("username");
    assertThat(users()).isEmpty();
  }

  @Test
  @DisplayName("a username of 64 characters, the longest sign-in accepts, is created; one of 65 is refused")
  void longestUsername() throws Exception {
    String name = "a".repeat(Usernames.MAX_LENGTH);

    await(accounts.create(name, PASSWORD, UserAccounts.TRADER));

    assertThat(await(new UserDirectory(pool).byUsername(name))).isPresent();
    assertThat(refusal(accounts.create(name + "a", PASSWORD, UserAccounts.TRADER)).problems()).containsOnlyKeys("username");
  }

  @ParameterizedTest(name = "password \"{0}\"")
  @NullAndEmptySource
  @ValueSource(strings = {"eleven char", "frank-the-trader", "my frank-the-trader pw", "FRANK-THE-TRADER-2024"})
  @DisplayName("a password under 12 characters, or that is or contains the username in any case, is refused and nothing is written")
  void badPasswords(String password) throws Exception {
    AccountRefused refused = refusal(accounts.create("frank-the-trader", password, UserAccounts.TRADER));

    assertThat(refused.reason()).isEqualTo(AccountRefused.Reason.INVALID);
    assertThat(refused.problems()).containsOnlyKeys("password");
    if (password != null && !password.isEmpty()) {
      assertThat(refused.getMessage()).doesNotContain(password);
    }
    assertThat(users()).isEmpty();
  }

  @ParameterizedTest(name = "role \"{0}\"")
  @NullAndEmptySource
  @ValueSource(strings = {"Admin", "root", "trader "})
  @DisplayName("a role other than trader or admin is refused and nothing is written")
  void badRoles(String role) throws Exception {
    AccountRefused refused = refusal(accounts.create("grace", PASSWORD, role));

    assertThat(refused.reason()).isEqualTo(AccountRefused.Reason.INVALID);
    assertThat(refused.problems()).containsOnlyKeys("role");
    assertThat(users()).isEmpty();
  }

  private static AccountRefused refusal(Future<UUID> creation) {
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> await(creation));
    assertThat(thrown).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(AccountRefused.class);
    return (AccountRefused) thrown.getCause();
  }

  private static List<Row> users() throws Exception {
    List<Row> rows = new ArrayList<>();
    await(pool.query("SELECT id, username, role, password_hash FROM users").execute()).forEach(rows::add);
    return rows;
  }
}
