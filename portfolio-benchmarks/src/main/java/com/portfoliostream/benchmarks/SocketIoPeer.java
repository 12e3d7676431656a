package com.portfoliostream.benchmarks;

import com.portfoliostream.events.json.ServerEventCodec;
import com.portfoliostream.testkit.NodeProcess;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Socket.IO peer ({@code benchmarks/socketio-peer}, {@code node --expose-gc server.js}), given
 * the very users our node has (their rows, hashes included) in a file; its events come as JSON
 * lines over its loopback feed port, one {@code {"fill":..,"event":..}} per event, written once
 * per tick of the load; its heap after a full GC is asked for over the same connection.
 */
final class SocketIoPeer implements ScaleServer {

  static final Path DIR = Path.of(System.getProperty("peer.dir", "benchmarks/socketio-peer"));
  static final int BATCH_WINDOW_MS = 1000;
  static final int HEARTBEAT_INTERVAL_MS = 15_000;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SocketIoPeer.class);
  private static final Pattern UP = Pattern.compile("socketio-peer up: http 127\\.0\\.0\\.1:(\\d+) events 127\\.0\\.0\\.1:(\\d+) .*node (\\S+)");

  private final NodeProcess process;
  private final int port;
  private final String nodeVersion;
  private final Map<String, String> env;
  private final Vertx publisher = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
  /** Held for as long as the feed: Vert.x closes a client that nothing references any more, and its connections with it. */
  private final NetClient feedClient;
  private final NetSocket feed;
  private final AtomicReference<Promise<JsonObject>> memoryReply = new AtomicReference<>();
  private volatile boolean closing;

  SocketIoPeer(JsonArray users, ScaleSettings run) throws Exception {
    Path usersFile = Files.createTempFile("scale-peer-users", ".json");
    Files.writeString(usersFile, users.encode());
    env = Map.of("PEER_USERS_FILE", usersFile.toString(),
        "PEER_MAX_SOCKETS_PER_USER", Integer.toString(Math.max(5, run.maxSocketsPerUser())),
        "PEER_BATCH_WINDOW_MS", Integer.toString(BATCH_WINDOW_MS),
        "PEER_HEARTBEAT_INTERVAL_MS", Integer.toString(HEARTBEAT_INTERVAL_MS));
    process = NodeProcess.command("socketio-peer", List.of("node", "--expose-gc", "server.js"), DIR, env);
    Matcher up = UP.matcher(process.awaitLine(UP.pattern(), Duration.ofSeconds(60)));
    if (!up.find()) {
      throw new IllegalStateException("the peer did not say where it listens");
    }
    port = Integer.parseInt(up.group(1));
    nodeVersion = up.group(3);
    feedClient = publisher.createNetClient(new NetClientOptions().setTcpNoDelay(true));
    feed = feedClient.connect(Integer.parseInt(up.group(2)), "127.0.0.1").toCompletionStage().toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    feed.exceptionHandler(e -> LOG.error("The peer's event feed failed: {}", e.toString()));
    feed.closeHandler(v -> {
      if (!closing) {
        LOG.error("The peer's event feed closed: the figures from here on are void");
      }
    });
    feed.handler(RecordParser.newDelimited("\n", line -> {
      Promise<JsonObject> waiting = memoryReply.getAndSet(null);
      if (waiting != null) {
        waiting.complete(line.toJsonObject());
      }
    }));
  }

  @Override
  public String name() {
    return ScaleSettings.SOCKETIO;
  }

  @Override
  public Dialect dialect() {
    return new SocketIoDialect();
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public Vertx publisher() {
    return publisher;
  }

  /** Lines gathered over one tick of the load, written in one go. Used from the publisher's event loop only. */
  @Override
  public EventSink events() {
    return new EventSink() {
      private Buffer pending = Buffer.buffer();

      @Override
      public void publish(com.portfoliostream.events.protocol.ServerEvent event, boolean causedByFill) {
        pending.appendString("{\"fill\":" + causedByFill + ",\"event\":" + ServerEventCodec.encode(event) + "}\n");
      }

      @Override
      public void flush() {
        if (pending.length() > 0) {
          feed.write(pending);
          pending = Buffer.buffer();
        }
      }
    };
  }

  @Override
  public ProcStat process() {
    return new ProcStat(process.pid());
  }

  /** V8's heap in use after {@code global.gc()}, as the peer reports it. */
  @Override
  public long heapUsedAfterGc() throws Exception {
    Promise<JsonObject> reply = Promise.promise();
    memoryReply.set(reply);
    feed.write("{\"control\":\"memory\"}\n");
    return reply.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).getLong("heapUsed");
  }

  @Override
  public long errorLines() {
    return Math.max(0, process.output().size() - 1);
  }

  @Override
  public Map<String, Object> settings() {
    Map<String, Object> settings = new LinkedHashMap<>(new java.util.TreeMap<>(env));
    settings.remove("PEER_USERS_FILE");
    settings.put("runtime", "node " + nodeVersion + " --expose-gc, socket.io " + socketIoVersion()
        + ", WebSocket transport only, perMessageDeflate off, libuv thread pool "
        + System.getenv().getOrDefault("UV_THREADPOOL_SIZE", "4"));
    settings.put("events", "JSON lines over a loopback TCP port, one write per 10 ms tick");
    return settings;
  }

  private static String socketIoVersion() {
    try {
      return new JsonObject(Files.readString(DIR.resolve("node_modules/socket.io/package.json"))).getString("version");
    } catch (Exception e) {
      return "unknown";
    }
  }

  @Override
  public void close() throws Exception {
    closing = true;
    process.close();
    publisher.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
