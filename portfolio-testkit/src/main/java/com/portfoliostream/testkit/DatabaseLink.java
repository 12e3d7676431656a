package com.portfoliostream.testkit;

import com.portfoliostream.common.db.DatabaseUrl;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A node's way to the database, through a TCP relay the test can cut: after {@link #cut()} no byte
 * gets through either way and new connections are accepted but never answered, as in a network
 * partition (nothing is refused, nothing fails fast). {@link #heal} lets new connections through
 * again and, as TCP's retransmissions would, delivers what the cut held back on the old ones only
 * after a delay of its own (after a long cut TCP has backed off: its next retry may be many seconds
 * away). {@link #close()} resets every connection.
 */
public final class DatabaseLink implements AutoCloseable {

  private final NetServer server;
  private final NetClient client;
  private final DatabaseUrl target;
  private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
  private volatile boolean cut;
  /** What each side sent while the link was cut, in order, per destination. */
  private final Map<NetSocket, List<Buffer>> held = new ConcurrentHashMap<>();

  private DatabaseLink(Vertx vertx, DatabaseUrl target) throws Exception {
    this.target = target;
    this.client = vertx.createNetClient();
    this.server = vertx.createNetServer().connectHandler(this::relay);
    server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  public static DatabaseLink to(Vertx vertx, DatabaseUrl target) throws Exception {
    return new DatabaseLink(vertx, target);
  }

  /** A pool of its own (not the node's shared one) reaching the database through this link. */
  public Pool pool(Vertx vertx) {
    DatabaseUrl through = new DatabaseUrl("127.0.0.1", server.actualPort(), target.database(), target.user(),
        target.password());
    return PgBuilder.pool().with(new PoolOptions().setMaxSize(4)).connectingTo(through.connectOptions())
        .using(vertx).build();
  }

  public void cut() {
    cut = true;
  }

  /**
   * New connections get through at once; what the old ones sent during the cut arrives after
   * {@code retransmittedAfter}, and they carry on from there.
   */
  public void heal(Vertx vertx, Duration retransmittedAfter) {
    Map<NetSocket, List<Buffer>> backlog = new HashMap<>(held);
    held.clear();
    cut = false;
    vertx.setTimer(Math.max(1, retransmittedAfter.toMillis()), id -> backlog.forEach((to, bytes) -> bytes.forEach(to::write)));
  }

  private void relay(NetSocket in) {
    sockets.add(in);
    if (cut) {
      return;
    }
    in.pause();
    client.connect(target.port(), target.host()).onSuccess(out -> {
      sockets.add(out);
      in.handler(bytes -> forward(out, bytes));
      out.handler(bytes -> forward(in, bytes));
      in.closeHandler(v -> out.close());
      out.closeHandler(v -> in.close());
      in.resume();
    }).onFailure(e -> in.close());
  }

  private void forward(NetSocket to, Buffer bytes) {
    if (cut) {
      held.computeIfAbsent(to, socket -> new CopyOnWriteArrayList<>()).add(bytes);
    } else {
      to.write(bytes);
    }
  }

  @Override
  public void close() throws Exception {
    sockets.forEach(NetSocket::close);
    server.close().await(10, TimeUnit.SECONDS);
    client.close().await(10, TimeUnit.SECONDS);
  }
}
