package com.portfoliostream.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.web.http.ConnectionAbort;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@DisplayName("The connection abort, the one use of Vert.x internals")
class ConnectionAbortTest {

  private static final String UPGRADE = "GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
      + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
  private static final Buffer CHUNK = Buffer.buffer(new byte[64 * 1024]);

  @Test
  @DisplayName("was written for the Vert.x on the classpath (read from vertx-core's manifest)")
  void pinnedToTheVertxVersion() {
    assertThat(Vertx.class.getPackage().getImplementationVersion())
        .as("Vert.x was upgraded: check ConnectionAbort against the new internals, then update WRITTEN_FOR")
        .isEqualTo(ConnectionAbort.WRITTEN_FOR);
  }

  @Test
  @DisplayName("cuts a socket whose close frame is stuck behind a client that stopped reading")
  void cutsAStuckSocket(Vertx vertx, VertxTestContext testContext) throws Exception {
    Promise<ServerWebSocket> upgraded = Promise.promise();
    Promise<HttpConnection> connection = Promise.promise();
    HttpServer server = vertx.createHttpServer().requestHandler(request -> {
      connection.complete(request.connection());
      request.toWebSocket().onComplete(upgraded);
    }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    NetSocket client = vertx.createNetClient().connect(server.actualPort(), "127.0.0.1")
        .await(10, TimeUnit.SECONDS);
    client.write(UPGRADE);
    client.pause();

    upgraded.future().onComplete(testContext.succeeding(socket -> {
      HttpConnection tcp = connection.future().result();
      AtomicBoolean closed = new AtomicBoolean();
      socket.closeHandler(v -> closed.set(true));
      socket.setWriteQueueMaxSize(CHUNK.length());
      fillUntilFull(socket);
      socket.close((short) 1013, "slow");
      vertx.setTimer(500, id -> {
        testContext.verify(() -> {
          assertThat(closed).as("Vert.x's own close is stuck behind the unread frames").isFalse();
          assertThat(ConnectionAbort.canCut(tcp)).as("the internals the abort relies on are there").isTrue();
        });
        ConnectionAbort.abort(tcp);
        vertx.setTimer(2_000, check -> testContext.verify(() -> {
          assertThat(closed).as("the connection is gone within 2 s of the abort").isTrue();
          // The paused client never reads the server's FIN, so it would hold Vert.x's graceful
          // shutdown for its whole grace period: close it here.
          client.close().onComplete(done -> testContext.completeNow());
        }));
      });
    }));
    assertThat(testContext.awaitCompletion(20, TimeUnit.SECONDS)).isTrue();
    if (testContext.failed()) {
      throw new AssertionError(testContext.causeOfFailure());
    }
  }

  @Test
  @DisplayName("on a connection that is already gone does nothing and throws nothing (the fuzz program's find)")
  void abortAfterClose(Vertx vertx, VertxTestContext testContext) throws Exception {
    Promise<HttpConnection> connection = Promise.promise();
    HttpServer server = vertx.createHttpServer().requestHandler(request -> {
      connection.complete(request.connection());
      request.response().end();
    }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    NetSocket client = vertx.createNetClient().connect(server.actualPort(), "127.0.0.1")
        .await(10, TimeUnit.SECONDS);
    client.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");

    connection.future().onComplete(testContext.succeeding(tcp -> tcp.closeHandler(v -> vertx.runOnContext(later -> {
      testContext.verify(() -> ConnectionAbort.abort(tcp));
      testContext.completeNow();
    }))));
    client.close();
    assertThat(testContext.awaitCompletion(20, TimeUnit.SECONDS)).isTrue();
    if (testContext.failed()) {
      throw new AssertionError(testContext.causeOfFailure());
    }
  }

  private static void fillUntilFull(ServerWebSocket socket) {
    for (int i = 0; i < 4_000 && !socket.writeQueueFull(); i++) {
      socket.writeBinaryMessage(CHUNK);
    }
    assertThat(socket.writeQueueFull()).as("the client's unread frames fill the write queue").isTrue();
  }
}
