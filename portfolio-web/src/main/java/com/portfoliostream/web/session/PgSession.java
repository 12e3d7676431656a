package com.portfoliostream.web.session;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.auth.prng.VertxContextPRNG;
import io.vertx.ext.web.sstore.AbstractSession;

/**
 * A session as {@link PgSessionStore} reads and writes it: Vert.x Web's data serialisation, without
 * the id (the row is keyed by its hash), and when its row's expiry was last pushed forward.
 */
final class PgSession extends AbstractSession {

  /** The id its row is stored under, or null while it has none (new, or just regenerated). */
  private String storedId;
  /** {@link System#currentTimeMillis()} when its row's expiry was last pushed forward. */
  private long renewedAtMillis;

  PgSession(VertxContextPRNG prng, long timeout, int length) {
    super(prng, timeout, length);
  }

  static PgSession stored(VertxContextPRNG prng, String id, long timeout, int version, Buffer data, long renewedAgoMs) {
    PgSession session = new PgSession(prng);
    session.setId(id);
    session.setTimeout(timeout);
    session.setVersion(version);
    session.readDataFromBuffer(data);
    session.setLastAccessed(System.currentTimeMillis());
    session.storedId = id;
    session.renewedAtMillis = System.currentTimeMillis() - renewedAgoMs;
    return session;
  }

  private PgSession(VertxContextPRNG prng) {
    super(prng);
  }

  Buffer serialisedData() {
    Buffer buffer = Buffer.buffer();
    writeDataToBuffer(buffer);
    return buffer;
  }

  /** Whether its row exists under its current id. */
  boolean isStoredUnderId() {
    return id().equals(storedId);
  }

  long msSinceRenewal() {
    return System.currentTimeMillis() - renewedAtMillis;
  }

  void written() {
    storedId = id();
    renewedAtMillis = System.currentTimeMillis();
  }
}
