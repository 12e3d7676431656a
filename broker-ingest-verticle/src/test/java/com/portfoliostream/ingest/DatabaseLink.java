package com.portfoliostream.ingest;

import com.portfoliostream.common.db.DatabaseUrl;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A node's way to the database, through a TCP relay the test can cut: after {@link #cut()} every
 * byte is dropped both ways and new connections are accepted but never answered, as in a network
 * partition (nothing is refused, nothing fails fast). {@link #close()} resets every connection.
 */
final class DatabaseLink implements AutoCloseable {

  private final NetServer server;
  private final NetClient client;
  private final DatabaseUrl target;
  private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
  private volatile boolean cut;

  private DatabaseLink(Vertx vertx, DatabaseUrl target) throws Exception {
    this.target = target;
    this.client = vertx.createNetClient();
    this.server = vertx.createNetServer().connectHandler(this::relay);
    server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  static DatabaseLink to(Vertx vertx, DatabaseUrl target) throws Exception {
    return new DatabaseLink(vertx, target);
  }

  /** A pool of its own (not the node's shared one) reaching the database through this link. */
  Pool pool(Vertx vertx) {
    DatabaseUrl through = new DatabaseUrl("127.0.0.1", server.actualPort(), target.database(), target.user(),
        target.password());
    return PgBuilder.pool().with(new PoolOptions().setMaxSize(4)).connectingTo(through.connectOptions())
        .using(vertx).build();
  }

  void cut() {
    cut = true;
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

  private void forward(NetSocket to, io.vertx.core.buffer.Buffer bytes) {
    if (!cut) {
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
