package com.portfoliostream.web.http;

import com.portfoliostream.common.config.NodeConfig;
import com.portfoliostream.common.config.Setting;
import com.portfoliostream.common.net.Cidr;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every HTTP server of a node holds a connection to before anyone is signed in: a request's
 * headers must arrive within the header timeout of the connection opening (a half-sent request
 * is closed: slowloris), a connection that carries nothing for the idle timeout is closed (sockets
 * stay alive through their heartbeat), HTTP/2 over clear text is off, and one client address
 * holds at most so many connections at once (a trusted load balancer is exempt: it carries many
 * clients; behind one speaking the PROXY protocol, each client it names is counted). A request line naming an HTTP version other than 1.0 or 1.1 is a 400
 * ({@link HttpVersionGuard}). One guard may serve several instances of a server (one per event
 * loop, sharing a port): its counts are then the port's, and safe from every loop.
 */
public final class ConnectionGuard {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);

  /** The limits of one server. */
  public record Limits(long headerTimeoutMs, int idleTimeoutSeconds, int perAddress, List<Cidr> exempt,
      boolean proxyProtocol) {}

  private final Vertx vertx;
  private final Limits limits;
  private final ClientAddress clients;
  private final Map<String, Integer> byAddress = new ConcurrentHashMap<>();
  private final Map<HttpConnection, Long> awaitingHeaders = new ConcurrentHashMap<>();

  public ConnectionGuard(Vertx vertx, Limits limits) {
    this.vertx = vertx;
    this.limits = limits;
    this.clients = new ClientAddress(limits.exempt());
  }

  /** The node's limits: its settings, idle after twice the heartbeat timeout (at least a minute). */
  public static ConnectionGuard forNode(Vertx vertx, NodeConfig config) {
    int idleSeconds = (int) Math.max(60, 2 * config.stream().heartbeatTimeoutMs() / 1000L);
    return new ConnectionGuard(vertx, new Limits(config.settings().integer(Setting.REQUEST_HEADER_TIMEOUT_MS),
        idleSeconds, config.settings().integer(Setting.MAX_CONNECTIONS_PER_ADDRESS),
        config.settings().cidrs(Setting.TRUSTED_PROXIES), false));
  }

  /** The node's limits for the stream edge's port: those of {@link #forNode}, and PROXY_PROTOCOL. */
  public static ConnectionGuard forEdge(Vertx vertx, NodeConfig config) {
    Limits limits = forNode(vertx, config).limits;
    return new ConnectionGuard(vertx, new Limits(limits.headerTimeoutMs(), limits.idleTimeoutSeconds(),
        limits.perAddress(), limits.exempt(), config.settings().flag(Setting.PROXY_PROTOCOL, false)));
  }

  /** The server options this guard relies on: the idle timeout, and no h2c. */
  public HttpServerOptions apply(HttpServerOptions options) {
    return options.setIdleTimeout(limits.idleTimeoutSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS)
        .setHttp2ClearTextEnabled(false);
  }

  /**
   * Installs the guard on {@code server} around {@code requests}; call before listen. With
   * PROXY_PROTOCOL a connection is counted under its client once its header is read.
   */
  public HttpServer install(HttpServer server, Handler<HttpServerRequest> requests) {
    return server.connectionHandler(this::opened).invalidRequestHandler(ConnectionGuard::malformed)
        .requestHandler(request -> {
          headersArrived(request.connection());
          requests.handle(request);
        });
  }

  /**
   * A request the HTTP decoder refused (a line or header too long, an unsupported version, a
   * request line that does not parse): the status Vert.x would answer, with a JSON error, and the
   * connection closed, since what follows on it cannot be framed.
   */
  private static void malformed(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status;
    String message;
    if (cause instanceof TooLongHttpLineException) {
      status = 414;
      message = "The request line is too long";
    } else if (cause instanceof TooLongHttpHeaderException) {
      status = 431;
      message = "The request headers are too large";
    } else if (cause instanceof HttpVersionGuard.UnsupportedVersion unsupported) {
      status = 400;
      message = unsupported.getMessage();
    } else {
      status = 400;
      message = "Malformed HTTP request";
    }
    LOG.debug("Refused a malformed request from {}: {}", request.remoteAddress(), cause == null ? "" : cause.getMessage());
    JsonObject error = new JsonObject().put("code", ApiError.INVALID_REQUEST.name()).put("message", message);
    request.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CONNECTION, "close")
        .end(new JsonObject().put("error", error).encode())
        .onComplete(done -> request.connection().close());
  }

  private void opened(HttpConnection connection) {
    HttpVersionGuard.install(connection);
    long timer = vertx.setTimer(limits.headerTimeoutMs(), id -> {
      if (awaitingHeaders.remove(connection) != null) {
        LOG.debug("Closed a connection from {} that sent no complete request within {} ms",
            connection.remoteAddress(), limits.headerTimeoutMs());
        connection.close();
      }
    });
    awaitingHeaders.put(connection, timer);
    String[] countedAs = new String[1];
    connection.closeHandler(v -> {
      Long pending = awaitingHeaders.remove(connection);
      if (pending != null) {
        vertx.cancelTimer(pending);
      }
      if (countedAs[0] != null) {
        release(countedAs[0]);
      }
    });
    if (!limits.proxyProtocol()) {
      countedAs[0] = count(connection);
    } else if (!ProxyProtocol.require(connection, () -> countedAs[0] = count(connection))) {
      LOG.warn("Closed a connection that cannot carry a PROXY protocol header");
      connection.close();
    }
  }

  /**
   * Counts the connection under its client's address (known once a PROXY header is read) and
   * closes it when that address holds too many: returns the address counted, null if none.
   */
  private String count(HttpConnection connection) {
    String address = clients.of(connection);
    if (clients.isTrusted(address)) {
      return null;
    }
    int held = byAddress.merge(address, 1, Integer::sum);
    if (held > limits.perAddress()) {
      LOG.warn("Refused a connection from {}: it holds {} already", address, held - 1);
      release(address);
      connection.close();
      return null;
    }
    return address;
  }

  private void headersArrived(HttpConnection connection) {
    Long timer = awaitingHeaders.remove(connection);
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
  }

  private void release(String address) {
    byAddress.computeIfPresent(address, (a, held) -> held <= 1 ? null : held - 1);
  }

}
