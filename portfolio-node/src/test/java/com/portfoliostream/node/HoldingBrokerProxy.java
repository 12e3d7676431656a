package com.portfoliostream.node;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stands between a node and the broker's REST API and passes every request on, except that it
 * keeps the broker's answer to the first order submission to itself: the broker has the order, the
 * node that sent it never hears so. Several proxies may share one "first" (the {@code held} flag).
 */
final class HoldingBrokerProxy implements AutoCloseable {

  final List<String> requests = new CopyOnWriteArrayList<>();
  final CompletableFuture<String> submissionHeld = new CompletableFuture<>();
  private final String name;
  private final int brokerPort;
  private final AtomicBoolean held;
  private final HttpClient client;
  private final HttpServer server;

  HoldingBrokerProxy(Vertx vertx, String name, int brokerPort, AtomicBoolean held) throws Exception {
    this.name = name;
    this.brokerPort = brokerPort;
    this.held = held;
    this.client = vertx.createHttpClient();
    this.server = vertx.createHttpServer().requestHandler(this::forward).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  int port() {
    return server.actualPort();
  }

  /** How many requests of this method and path (query excluded) came through. */
  long count(HttpMethod method, String path) {
    return requests.stream().filter(r -> r.equals(method.name() + " " + path)).count();
  }

  private void forward(HttpServerRequest request) {
    requests.add(request.method().name() + " " + request.path());
    request.body().compose(body -> client.request(new RequestOptions().setMethod(request.method())
            .setHost("127.0.0.1").setPort(brokerPort).setURI(request.uri()))
        .compose(out -> {
          request.headers().forEach((k, v) -> {
            if (!k.equalsIgnoreCase("host") && !k.equalsIgnoreCase("content-length")) {
              out.putHeader(k, v);
            }
          });
          return out.send(body);
        })
        .compose(response -> response.body().map(answer -> {
          boolean submission = request.method() == HttpMethod.POST && request.path().equals("/v2/orders");
          if (submission && held.compareAndSet(false, true)) {
            submissionHeld.complete(name);
            return null;
          }
          request.response().setStatusCode(response.statusCode());
          String type = response.getHeader(HttpHeaders.CONTENT_TYPE);
          if (type != null) {
            request.response().putHeader(HttpHeaders.CONTENT_TYPE, type);
          }
          request.response().end(answer);
          return null;
        })))
        .onFailure(e -> request.response().setStatusCode(502).end());
  }

  @Override
  public void close() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    client.close();
  }
}
