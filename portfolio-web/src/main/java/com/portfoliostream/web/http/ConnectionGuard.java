package com.portfoliostream.web.http;

import com.portfoliostream.common.config.NodeConfig;
import com.portfoliostream.common.config.Setting;
import com.portfoliostream.common.net.Cidr;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every HTTP server of a node holds a connection to before anyone is signed in: a request's
 * headers must arrive within the header timeout of the connection opening (a half-sent request
 * is closed: slowloris), a connection that carries nothing for the idle timeout is closed (sockets
 * stay alive through their heartbeat), HTTP/2 over clear text is off, and one client address
 * holds at most so many connections at once (a trusted load balancer is exempt: it carries many
 * clients). Used from the server's event loops; the counts are per server instance.
 */
public final class ConnectionGuard {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);

  /** The limits of one server. */
  public record Limits(long headerTimeoutMs, int idleTimeoutSeconds, int perAddress, List<Cidr> exempt) {}

  private final Vertx vertx;
  private final Limits limits;
  private final Map<String, Integer> byAddress = new HashMap<>();
  private final Map<HttpConnection, Long> awaitingHeaders = new HashMap<>();

  public ConnectionGuard(Vertx vertx, Limits limits) {
    this.vertx = vertx;
    this.limits = limits;
  }

  /** The node's limits: its settings, idle after twice the heartbeat timeout (at least a minute). */
  public static ConnectionGuard forNode(Vertx vertx, NodeConfig config) {
    int idleSeconds = (int) Math.max(60, 2 * config.stream().heartbeatTimeoutMs() / 1000L);
    return new ConnectionGuard(vertx, new Limits(config.settings().integer(Setting.REQUEST_HEADER_TIMEOUT_MS),
        idleSeconds, config.settings().integer(Setting.MAX_CONNECTIONS_PER_ADDRESS),
        config.settings().cidrs(Setting.TRUSTED_PROXIES)));
  }

  /** The server options this guard relies on: the idle timeout, and no h2c. */
  public HttpServerOptions apply(HttpServerOptions options) {
    return options.setIdleTimeout(limits.idleTimeoutSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS)
        .setHttp2ClearTextEnabled(false);
  }

  /** Installs the guard on {@code server} around {@code requests}; call before listen. */
  public HttpServer install(HttpServer server, Handler<HttpServerRequest> requests) {
    return server.connectionHandler(this::opened).requestHandler(request -> {
      headersArrived(request.connection());
      requests.handle(request);
    });
  }

  private void opened(HttpConnection connection) {
    String address = connection.remoteAddress() == null ? "unknown" : connection.remoteAddress().host();
    boolean counted = !exempt(address);
    if (counted) {
      int held = byAddress.merge(address, 1, Integer::sum);
      if (held > limits.perAddress()) {
        LOG.warn("Refused a connection from {}: it holds {} already", address, held - 1);
        release(address);
        connection.close();
        return;
      }
    }
    long timer = vertx.setTimer(limits.headerTimeoutMs(), id -> {
      if (awaitingHeaders.remove(connection) != null) {
        LOG.debug("Closed a connection from {} that sent no complete request within {} ms", address,
            limits.headerTimeoutMs());
        connection.close();
      }
    });
    awaitingHeaders.put(connection, timer);
    connection.closeHandler(v -> {
      Long pending = awaitingHeaders.remove(connection);
      if (pending != null) {
        vertx.cancelTimer(pending);
      }
      if (counted) {
        release(address);
      }
    });
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

  private boolean exempt(String address) {
    return Cidr.anyContains(limits.exempt(), address);
  }
}
