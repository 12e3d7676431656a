package com.portfoliostream.ingest.lease;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.function.Function;

/**
 * The proof a node holds a stream's lease: the stream, the holder and the fencing token it was
 * granted. Every write made for the stream runs in {@link #transaction}, which first checks in the
 * same transaction that the lease still names this holder and token and has not expired, and
 * share-locks the lease row until the commit: a node taking the lease over waits for the write,
 * and a write started after the takeover is refused with {@link LeaseLost} and rolled back whole.
 */
public record Fence(String stream, String holder, long token) {

  private static final String CHECK = "SELECT token FROM stream_leases "
      + "WHERE stream = $1 AND holder = $2 AND token = $3 AND expires_at > now() FOR SHARE";

  /** Runs {@code work} in one transaction behind the fence check; fails with {@link LeaseLost} when it is stale. */
  public <T> Future<T> transaction(Pool pool, Function<SqlConnection, Future<T>> work) {
    return pool.withTransaction(conn -> check(conn).compose(v -> work.apply(conn)));
  }

  private Future<Void> check(SqlConnection conn) {
    return conn.preparedQuery(CHECK).execute(Tuple.of(stream, holder, token))
        .compose(rows -> rows.size() == 1 ? Future.<Void>succeededFuture() : Future.failedFuture(new LeaseLost(this)));
  }

  /** A write refused because the lease it was made under expired or passed to another holder. */
  public static final class LeaseLost extends RuntimeException {

    private final transient Fence fence;

    LeaseLost(Fence fence) {
      super("the lease of " + fence.stream() + " (token " + fence.token() + ") is no longer " + fence.holder()
          + "'s", null, false, false);
      this.fence = fence;
    }

    public Fence fence() {
      return fence;
    }

    /** The refused fence when {@code failure} is a refusal, else null. */
    public static Fence of(Throwable failure) {
      return failure instanceof LeaseLost lost ? lost.fence : null;
    }
  }
}
