package com.portfoliostream.stream.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.common.bus.UserEventBus;
import com.portfoliostream.events.model.Channel;
import com.portfoliostream.stream.batch.EdgeMetrics;
import com.portfoliostream.testkit.Eventually;
import com.portfoliostream.testkit.Fixtures;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The user fan-out")
class UserFanoutTest {

  private final UUID user = UUID.randomUUID();
  private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
  private final List<ServerWebSocket> serverSockets = new CopyOnWriteArrayList<>();
  private Vertx vertx;
  private HttpServer server;

  @BeforeEach
  void startServer() throws Exception {
    vertx = Vertx.vertx();
    vertx.exceptionHandler(uncaught::add);
    server = vertx.createHttpServer().webSocketHandler(serverSockets::add).listen(0, "127.0.0.1")
        .await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("a socket that is already closed costs the user's other sockets nothing, and nothing is thrown")
  void closedSocketDoesNotStopTheOthers() throws Exception {
    WebSocket gone = connect(new CopyOnWriteArrayList<>());
    Eventually.eventually(Duration.ofSeconds(5), "the first socket upgraded", () -> serverSockets.size() == 1);
    List<JsonObject> received = new CopyOnWriteArrayList<>();
    WebSocket alive = connect(received);
    Eventually.eventually(Duration.ofSeconds(5), "the second socket upgraded", () -> serverSockets.size() == 2);
    ConnectionRegistry registry = new ConnectionRegistry();
    SocketConnection[] connections = new SocketConnection[2];
    Promise<Void> ready = Promise.promise();
    vertx.runOnContext(v -> {
      for (int i = 0; i < 2; i++) {
        connections[i] = new SocketConnection(serverSockets.get(i), user, "session-" + i, Clock.systemUTC(), 100);
        connections[i].subscription().apply(new com.portfoliostream.events.protocol.ClientMessage.Subscribe(
            Set.of(Channel.POSITIONS), Optional.empty()));
        registry.add(connections[i]);
      }
      UserFanout fanout = new UserFanout(vertx, registry, new EdgeMetrics(new SimpleMeterRegistry()),
          Clock.systemUTC(), new com.portfoliostream.stream.batch.UserWindow.Pacing.Deadline(50), new BigDecimal("0.1"));
      fanout.attach(user).onComplete(ready);
    });
    ready.future().await(10, TimeUnit.SECONDS);
    ServerWebSocket goneOnServer = serverSockets.get(0);
    gone.close().await(10, TimeUnit.SECONDS);
    Eventually.eventually(Duration.ofSeconds(5), "the server sees the first socket closed", goneOnServer::isClosed);

    for (int v = 1; v <= 3; v++) {
      UserEventBus.publish(vertx, Fixtures.position(user, "SYM" + v, "10" + v + ".00", v), UserEventBus.Meta.of(Instant.now()));
    }

    Eventually.eventually(Duration.ofSeconds(5), "the open socket has every symbol",
        () -> symbols(received).containsAll(Set.of("SYM1", "SYM2", "SYM3")));
    assertThat(uncaught).as("exceptions thrown on the event loop").isEmpty();
    assertThat(connections[0].info().messagesOut()).as("frames written to the closed socket").isZero();
    alive.close();
  }

  private WebSocket connect(List<JsonObject> received) throws Exception {
    WebSocket socket = vertx.createWebSocketClient().connect(server.actualPort(), "127.0.0.1", "/")
        .await(10, TimeUnit.SECONDS);
    socket.textMessageHandler(text -> received.add(new JsonObject(text)));
    return socket;
  }

  private static Set<String> symbols(List<JsonObject> frames) {
    Set<String> symbols = new java.util.HashSet<>();
    for (JsonObject frame : frames) {
      JsonObject data = frame.getJsonObject("data");
      if ("position_update".equals(frame.getString("type"))) {
        symbols.add(data.getString("symbol"));
      } else if (data != null && data.getJsonArray("positions") != null) {
        data.getJsonArray("positions").forEach(p -> symbols.add(((JsonObject) p).getString("symbol")));
      }
    }
    return symbols;
  }
}
