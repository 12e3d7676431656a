package com.portfoliostream.broker.rest;

import com.portfoliostream.broker.BrokerClients;
import com.portfoliostream.broker.alpaca.AlpacaAccount;
import com.portfoliostream.broker.alpaca.AlpacaCodec;
import com.portfoliostream.broker.alpaca.AlpacaOrder;
import com.portfoliostream.broker.alpaca.AlpacaPosition;
import com.portfoliostream.broker.alpaca.AlpacaProtocolException;
import com.portfoliostream.broker.alpaca.FillActivity;
import com.portfoliostream.broker.alpaca.MarketClock;
import com.portfoliostream.broker.alpaca.OrderRequest;
import com.portfoliostream.events.json.WireJson;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Alpaca's trading REST API (v2), the calls this service makes. Every call authenticates with the
 * account's key headers and is bounded by a timeout; a failure is an {@link AlpacaApiException}
 * carrying Alpaca's status, code and message. Works the same against Alpaca paper, live and the
 * built-in simulator: only the base URL differs.
 */
public final class AlpacaRestClient {

  public static final String KEY_HEADER = "APCA-API-KEY-ID";
  public static final String SECRET_HEADER = "APCA-API-SECRET-KEY";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  public static final int MAX_ACTIVITY_PAGE = 100;

  private final WebClient client;
  private final String base;
  private final Duration timeout;

  public AlpacaRestClient(Vertx vertx, URI baseUrl, Duration timeout) {
    this.client = BrokerClients.rest(vertx, timeout);
    String url = baseUrl.toString();
    this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.timeout = timeout;
  }

  public Future<AlpacaAccount> account(AlpacaCredentials credentials) {
    return call(credentials, HttpMethod.GET, "/v2/account", Function.identity())
        .map(AlpacaCodec::parseAccount);
  }

  public Future<List<AlpacaPosition>> positions(AlpacaCredentials credentials) {
    return call(credentials, HttpMethod.GET, "/v2/positions", Function.identity())
        .map(AlpacaCodec::parsePositions);
  }

  public Future<MarketClock> clock(AlpacaCredentials credentials) {
    return call(credentials, HttpMethod.GET, "/v2/clock", Function.identity())
        .map(AlpacaCodec::parseClock);
  }

  public Future<AlpacaOrder> submitOrder(AlpacaCredentials credentials, OrderRequest order) {
    Buffer body = Buffer.buffer(AlpacaCodec.orderRequest(order));
    return send(credentials, HttpMethod.POST, "/v2/orders", Function.identity(), body)
        .map(AlpacaCodec::parseOrder);
  }

  public Future<AlpacaOrder> order(AlpacaCredentials credentials, String brokerOrderId) {
    return call(credentials, HttpMethod.GET, "/v2/orders/" + pathSegment(brokerOrderId), Function.identity())
        .map(AlpacaCodec::parseOrder);
  }

  /** The order placed with this client order id, or empty when the broker has none. */
  public Future<Optional<AlpacaOrder>> orderByClientOrderId(AlpacaCredentials credentials, String clientOrderId) {
    return call(credentials, HttpMethod.GET, "/v2/orders:by_client_order_id",
        request -> request.addQueryParam("client_order_id", clientOrderId))
        .map(body -> Optional.of(AlpacaCodec.parseOrder(body)))
        .recover(failure -> failure instanceof AlpacaApiException e && e.notFound()
            ? Future.succeededFuture(Optional.empty()) : Future.failedFuture(failure));
  }

  public Future<List<AlpacaOrder>> orders(AlpacaCredentials credentials, OrderQuery query) {
    return call(credentials, HttpMethod.GET, "/v2/orders", request -> {
      request.addQueryParam("status", query.status())
          .addQueryParam("direction", query.ascending() ? "asc" : "desc")
          .addQueryParam("limit", Integer.toString(query.limit()));
      if (query.after() != null) {
        request.addQueryParam("after", WireJson.formatInstant(query.after()));
      }
      if (query.until() != null) {
        request.addQueryParam("until", WireJson.formatInstant(query.until()));
      }
      return request;
    }).map(AlpacaCodec::parseOrders);
  }

  /** Asks the broker to cancel; it answers later on the trading stream with {@code canceled}. */
  public Future<Void> cancelOrder(AlpacaCredentials credentials, String brokerOrderId) {
    return call(credentials, HttpMethod.DELETE, "/v2/orders/" + pathSegment(brokerOrderId), Function.identity())
        .mapEmpty();
  }

  /** One page of fills after {@code after}, oldest first; {@code pageToken} is the last id of the previous page. */
  public Future<List<FillActivity>> fills(AlpacaCredentials credentials, Instant after, String pageToken) {
    return call(credentials, HttpMethod.GET, "/v2/account/activities/FILL", request -> {
      request.addQueryParam("direction", "asc").addQueryParam("page_size", Integer.toString(MAX_ACTIVITY_PAGE));
      if (after != null) {
        request.addQueryParam("after", WireJson.formatInstant(after));
      }
      if (pageToken != null) {
        request.addQueryParam("page_token", pageToken);
      }
      return request;
    }).map(AlpacaCodec::parseFillActivities);
  }

  public void close() {
    client.close();
  }

  private Future<String> call(AlpacaCredentials credentials, HttpMethod method, String path,
      Function<HttpRequest<Buffer>, HttpRequest<Buffer>> query) {
    return send(credentials, method, path, query, null);
  }

  private Future<String> send(AlpacaCredentials credentials, HttpMethod method, String path,
      Function<HttpRequest<Buffer>, HttpRequest<Buffer>> query, Buffer body) {
    String described = method.name() + " " + path;
    HttpRequest<Buffer> request = query.apply(client.requestAbs(method, base + path)
        .putHeader(KEY_HEADER, credentials.keyId())
        .putHeader(SECRET_HEADER, credentials.secret())
        .putHeader("Accept", "application/json")
        .timeout(timeout.toMillis()));
    Future<HttpResponse<Buffer>> response = body == null ? request.send()
        : request.putHeader("Content-Type", "application/json").sendBuffer(body);
    return response
        .recover(failure -> Future.failedFuture(
            new AlpacaApiException(AlpacaApiException.NO_ANSWER, null, failure.getMessage(), described)))
        .compose(r -> answer(r, described));
  }

  private static Future<String> answer(HttpResponse<Buffer> response, String described) {
    String text = response.bodyAsString();
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return Future.succeededFuture(text == null || text.isEmpty() ? "{}" : text);
    }
    AlpacaCodec.ErrorBody error = text == null ? null : AlpacaCodec.parseError(text);
    return Future.failedFuture(new AlpacaApiException(status, error == null ? null : error.code(),
        error == null ? null : error.message(), described));
  }

  private static String pathSegment(String id) {
    if (!id.matches("[A-Za-z0-9._:-]{1,128}")) {
      throw new AlpacaProtocolException("not an order id: " + id);
    }
    return id;
  }
}
