package com.portfoliostream.web.session;

import static com.portfoliostream.testkit.TestDatabase.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.portfoliostream.testkit.Eventually;
import com.portfoliostream.testkit.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Session;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The PostgreSQL session store")
class PgSessionStoreTest {

  private static final long HOUR_MS = 3_600_000;

  static TestDatabase database;
  static Vertx vertx;
  static Pool pool;
  PgSessionStore store;

  @BeforeAll
  static void startDatabase() throws Exception {
    database = TestDatabase.start();
    vertx = Vertx.vertx();
    pool = database.pool(vertx);
  }

  @AfterAll
  static void stopDatabase() throws Exception {
    await(pool.close());
    await(vertx.close());
    database.close();
  }

  @BeforeEach
  void emptyStore() throws Exception {
    store = PgSessionStore.create(vertx, pool);
    await(store.clear());
  }

  private Session stored(long timeoutMs) throws Exception {
    Session session = store.createSession(timeoutMs);
    session.put("userId", "u-1").put("role", "trader");
    await(store.put(session));
    return session;
  }

  private List<Row> rows() throws Exception {
    List<Row> rows = new java.util.ArrayList<>();
    await(pool.query("SELECT id_hash, data, version, expires_at FROM web_sessions").execute()).forEach(rows::add);
    return rows;
  }

  private OffsetDateTime expiresAt(Session session) throws Exception {
    return await(pool.preparedQuery("SELECT expires_at FROM web_sessions WHERE id_hash = $1")
        .execute(Tuple.of(SessionHash.of(session.id())))).iterator().next().getOffsetDateTime(0);
  }

  @Test
  @DisplayName("a stored session is found by its id, with its data, on a store of another node")
  void createPutGet() throws Exception {
    Session session = stored(HOUR_MS);

    Session found = await(PgSessionStore.create(vertx, pool).get(session.id()));

    assertThat(found).isNotNull();
    assertThat(found.id()).isEqualTo(session.id());
    assertThat(found.<String>get("userId")).isEqualTo("u-1");
    assertThat(found.<String>get("role")).isEqualTo("trader");
    assertThat(found.timeout()).isEqualTo(HOUR_MS);
    assertThat(await(store.get("0123456789abcdef0123456789abcdef"))).as("an unknown id").isNull();
  }

  @Test
  @DisplayName("the table holds the SHA-256 of the session id, never the id the cookie carries")
  void hashAtRest() throws Exception {
    Session session = stored(HOUR_MS);

    List<Row> rows = rows();
    assertThat(rows).hasSize(1);
    String idHash = rows.get(0).getString("id_hash");
    assertThat(idHash).isEqualTo(SessionHash.of(session.id())).isNotEqualTo(session.id()).hasSize(64);
    String data = new String(rows.get(0).getBuffer("data").getBytes(), StandardCharsets.ISO_8859_1);
    assertThat(data).contains("u-1").doesNotContain(session.id());
    assertThat(await(store.get(idHash))).as("the hash itself is no cookie").isNull();
  }

  @Test
  @DisplayName("a change is written back; an unchanged read is not rewritten until a tenth of the timeout has passed")
  void putChangesAndBoundedRenewal() throws Exception {
    Session session = stored(HOUR_MS);
    OffsetDateTime firstExpiry = expiresAt(session);

    Session read = await(store.get(session.id()));
    await(store.put(read));
    assertThat(expiresAt(session)).as("unchanged, renewed moments ago: no write").isEqualTo(firstExpiry);

    read.put("role", "admin");
    await(store.put(read));
    assertThat(await(store.get(session.id())).<String>get("role")).isEqualTo("admin");
    assertThat(expiresAt(session)).isAfter(firstExpiry);

    Session shortLived = stored(2_000);
    OffsetDateTime shortExpiry = expiresAt(shortLived);
    Session again = await(store.get(shortLived.id()));
    Thread.sleep(PgSessionStore.renewAfterMs(2_000) + 50);
    await(store.put(again));
    assertThat(expiresAt(shortLived)).as("renewal due: expiry pushed forward").isAfter(shortExpiry);
  }

  @Test
  @DisplayName("an idle session expires: not found, not counted, and its row is deleted by the cleanup")
  void expiry() throws Exception {
    Session session = stored(300);
    Session lasting = stored(HOUR_MS);

    Eventually.eventually(Duration.ofSeconds(5), "the session expired",
        () -> await(store.get(session.id())) == null);
    assertThat(await(store.size())).isEqualTo(1);
    assertThat(await(store.liveOf(Set.of(SessionHash.of(session.id()), SessionHash.of(lasting.id())))))
        .containsExactly(SessionHash.of(lasting.id()));

    assertThat(await(store.deleteExpired())).isEqualTo(1);
    assertThat(rows()).hasSize(1);
  }

  @Test
  @DisplayName("a deleted session is gone and a request still holding it cannot write it back")
  void deleteIsFinal() throws Exception {
    Session session = stored(HOUR_MS);
    Session heldByARequest = await(store.get(session.id()));

    await(store.delete(session.id()));
    heldByARequest.put("role", "admin");

    assertThatThrownBy(() -> await(store.put(heldByARequest))).hasMessageContaining("Session version mismatch");
    assertThat(await(store.get(session.id()))).isNull();
    assertThat(rows()).isEmpty();
  }

  @Test
  @DisplayName("of two requests that changed the same session, the later write fails")
  void versionConflict() throws Exception {
    Session session = stored(HOUR_MS);
    Session first = await(store.get(session.id()));
    Session second = await(store.get(session.id()));

    first.put("role", "admin");
    await(store.put(first));
    second.put("role", "trader-2");

    assertThatThrownBy(() -> await(store.put(second))).hasMessageContaining("Session version mismatch");
    assertThat(await(store.get(session.id())).<String>get("role")).isEqualTo("admin");
  }

  @Test
  @DisplayName("a regenerated id is stored anew and the old id no longer opens the session")
  void regeneratedId() throws Exception {
    Session session = store.createSession(HOUR_MS);
    session.put("userId", "u-1");
    await(store.put(session));
    String oldId = session.id();

    session.regenerateId();
    await(store.delete(oldId));
    await(store.put(session));

    assertThat(await(store.get(oldId))).isNull();
    assertThat(await(store.get(session.id())).<String>get("userId")).isEqualTo("u-1");
  }
}
