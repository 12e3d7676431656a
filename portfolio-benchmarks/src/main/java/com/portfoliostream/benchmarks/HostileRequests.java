package com.portfoliostream.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.UUID;

/**
 * Hostile HTTP/1.1 requests as the bytes a client writes: broken request lines, headers, query
 * strings and chunking, wrong content types, huge or invalid JSON, random paths and methods, bad
 * CSRF tokens, bad decimals in orders, h2c; some are sent only in part, or slowly.
 */
final class HostileRequests {

  /** How a request is written: at once, in part and then hung up, or in trickles. */
  enum Mode { WHOLE, HALF_THEN_HANG_UP, SLOW }

  record Request(String kind, byte[] bytes, Mode mode) {
    String describe() {
      return kind + ": " + FuzzTally.printable(bytes, 300);
    }
  }

  /** A signed-in session of the hostile user: its cookie and its current CSRF token. */
  interface Session {
    String cookie();

    String xsrf();
  }

  private static final String[] BAD_DECIMALS = {"\"1e999999999\"", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"-1\"",
      "\"0\"", "\"1e-999999999\"", "\"0x10\"", "\" 1 \"", "\"1,5\"", "\"١\"", "\"" + "1".repeat(5000) + "\"",
      "\"0." + "0".repeat(5000) + "1\"", "1e999999999", "NaN", "1E+2147483648", "-0.0", "true", "[]", "{}", "null",
      "\"1e2147483647\"", "\"9".repeat(1) + "9".repeat(400) + "\"", "\"1.\"", "\".5\"", "\"+1\"", "\"1_000\"", "\"\""};
  private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE",
      "CONNECT", "FOO", "get", "G\u0000T", "PROPFIND"};
  private static final String[] PATHS = {"/", "/api", "/api/", "/api/orders", "/api/orders/", "/api/positions",
      "/api/account", "/api/trades", "/api/auth/login", "/api/auth/logout", "/api/auth/me", "/api/health", "/app/",
      "/app/../../etc/passwd", "/client/", "/client/%2e%2e/%2e%2e/", "/api/%2e%2e/admin", "/health", "/readiness",
      "/metrics", "/admin/", "/api/admin/websocket-stats", "/ws/portfolio", "//api//orders", "/api/orders/;jsessionid=1",
      "*", "http://evil.example/api/health", "/api/orders#frag", "/app/index.html%00.js"};

  private final Random random;
  private final String host;

  HostileRequests(Random random, int port) {
    this.random = random;
    this.host = "127.0.0.1:" + port;
  }

  Request next(Session session) {
    if (random.nextInt(200) == 0) {
      return slow(session);
    }
    return switch (random.nextInt(14)) {
      case 0 -> whole("malformed request line", pick("GET\r\n\r\n", "GET / HTTP/9.9\r\nHost: x\r\n\r\n",
          "G@T / HTTP/1.1\r\n\r\n", "GET /api/health HTTP/1.1 extra\r\n\r\n", "GET " + "/a".repeat(40_000) + " HTTP/1.1\r\n\r\n",
          "\r\n\r\n\r\n", "GET /api/health\u0000 HTTP/1.1\r\nHost: x\r\n\r\n", "GET /api/health HTTP/1.1\n\n",
          " GET /api/health HTTP/1.1\r\n\r\n", "GET /api/h ealth HTTP/1.1\r\nHost: x\r\n\r\n", randomAscii(200) + "\r\n\r\n"));
      case 1 -> whole("malformed headers", "GET /api/health HTTP/1.1\r\nHost: " + host + "\r\n" + pick("NoColon\r\n",
          "X-A: " + "a".repeat(100_000) + "\r\n", "Content-Length: -1\r\n", "Content-Length: abc\r\n",
          "Content-Length: 5\r\nContent-Length: 7\r\n", " folded: header\r\n", "X-Ctl: a\u0001b\u007f\r\n",
          "Cookie: " + "session=x; ".repeat(5000) + "\r\n", ": empty-name\r\n", "Host: a\r\nHost: b\r\n",
          "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n", "X-Forwarded-For: 1.2.3.4, evil, ::::\r\n",
          "Connection: keep-alive, Upgrade, " + "x,".repeat(3000) + "\r\n", "\u00ff\u00fe: latin1\r\n") + "Connection: close\r\n\r\n");
      case 2 -> whole("bad percent-encoding", "GET " + pick("/api/orders?status=%zz", "/api/positions?%", "/api/trades?limit=%E0%A4%A",
          "/?%%%", "/app/%zz", "/ws/portfolio?%zz", "/api/health?a=%", "/api/orders?%ZZ=1", "/api/trades?after=%C0%AF",
          "/api/orders/%zz", "/client/%", "/api/account?x=%u0041") + " HTTP/1.1\r\nHost: " + host + "\r\n" + authHeaders(session)
          + "Connection: close\r\n\r\n");
      case 3 -> badChunked(session);
      case 4 -> post("wrong content type", "/api/orders", pick("text/plain", "application/jsonx", "multipart/form-data; boundary=x",
          "application/x-www-form-urlencoded", "application/json; charset=ebcdic", "application/json;;", "APPLICATION/JSON; x=y",
          "application/json, text/plain", "", "application/json\u0000"), order("qty", "\"1\""), session, true);
      case 5 -> post("huge or invalid JSON body", pick("/api/orders", "/api/auth/login"), "application/json", pick(
          "{\"symbol\":\"" + "A".repeat(200_000) + "\"}", "[".repeat(60_000), "{\"a\":".repeat(12_000) + "1", "{", "nul",
          "\"just a string\"", "[1,2,3]", "{\"symbol\":\"AAPL\",\"symbol\":\"MSFT\"}", randomAscii(1000),
          "{\"qty\":" + "9".repeat(60_000) + "}"), session, true);
      case 6 -> whole("random path and method", pick(METHODS) + " " + pick(PATHS) + (random.nextBoolean() ? "/" + randomPath() : "")
          + " HTTP/1.1\r\nHost: " + host + "\r\n" + (random.nextBoolean() ? authHeaders(session) : "")
          + "Content-Length: 0\r\nConnection: close\r\n\r\n");
      case 7 -> badCsrf(session);
      case 8 -> halfSent(session);
      case 9 -> whole("h2c", pick("GET /api/health HTTP/1.1\r\nHost: " + host + "\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
          + "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n", "GET /api/health HTTP/1.1\r\nHost: " + host
          + "\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
          "GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: !!!\r\n\r\n"));
      case 10 -> post("bad decimal in an order", "/api/orders", "application/json",
          order(pick("qty", "qty", "limitPrice", "stopPrice", "notional"), pick(BAD_DECIMALS)), session, true);
      case 11 -> post("hostile sign-in", "/api/auth/login", "application/json", pick(
          "{\"username\":\"mallory\",\"password\":\"" + UUID.randomUUID() + "\"}", "{\"username\":\"" + "u".repeat(10_000) + "\",\"password\":\"x\"}",
          "{\"username\":[\"bob\"],\"password\":{}}", "{\"username\":\"bob\\u0000\",\"password\":\"x\"}", "{\"username\":null}",
          "{\"password\":\"" + "p".repeat(60_000) + "\",\"username\":\"eve\"}", "{}"), session, true);
      case 12 -> whole("hostile query with a session", "GET " + pick("/api/orders?status=bogus", "/api/orders?limit=-1",
          "/api/orders?limit=99999999999999999999", "/api/trades?after=notadate", "/api/trades?limit=1e999",
          "/api/orders?status=open&status=closed&status=" + "x".repeat(5000), "/api/positions?symbol=AAPL%00",
          "/api/trades?before=2024-13-45T99:99:99Z", "/api/orders?cursor=" + randomAscii(50).replace(' ', '+'))
          + " HTTP/1.1\r\nHost: " + host + "\r\n" + authHeaders(session) + "Connection: close\r\n\r\n");
      default -> whole("hostile order id", pick("GET", "DELETE") + " /api/orders/" + pick(UUID.randomUUID().toString(), "1",
          "not-a-uuid", "00000000-0000-0000-0000-000000000000", "%00", "..", "'; DROP TABLE orders;--", "x".repeat(3000))
          + " HTTP/1.1\r\nHost: " + host + "\r\n" + authHeaders(session) + "Content-Length: 0\r\nConnection: close\r\n\r\n");
    };
  }

  private Request badChunked(Session session) {
    String chunks = pick("zz\r\nabc\r\n0\r\n\r\n", "ffffffffffffffff\r\nabc\r\n", "3\r\nabcdef\r\n0\r\n\r\n", "3;" + "x".repeat(10_000)
        + "\r\nabc\r\n0\r\n\r\n", "-1\r\n\r\n", "5\r\n{\"a\":\r\n", "2\r\n{}", "0\r\nTrailer: " + "t".repeat(20_000) + "\r\n\r\n",
        "100000\r\n" + "a".repeat(1000) + "\r\n0\r\n\r\n");
    return whole("bad chunked body", "POST /api/orders HTTP/1.1\r\nHost: " + host + "\r\n" + authHeaders(session)
        + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunks);
  }

  private Request badCsrf(Session session) {
    String token = pick("", "x", session.xsrf() + "x", UUID.randomUUID().toString(), session.xsrf().replace('.', '/'),
        "a".repeat(5000), "../../" + session.xsrf());
    String cookieToken = random.nextBoolean() ? token : session.xsrf();
    String headers = "Cookie: " + session.cookie() + "; XSRF-TOKEN=" + cookieToken + "\r\n"
        + (random.nextInt(4) == 0 ? "" : "X-XSRF-TOKEN: " + token + "\r\n");
    String body = order("qty", "\"1\"");
    return whole("missing or invalid CSRF token", "POST " + pick("/api/orders", "/api/auth/logout", "/api/auth/login")
        + " HTTP/1.1\r\nHost: " + host + "\r\n" + headers + "Content-Type: application/json\r\nContent-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + body);
  }

  private Request halfSent(Session session) {
    String full = "POST /api/orders HTTP/1.1\r\nHost: " + host + "\r\n" + authHeaders(session)
        + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n" + order("qty", "\"1\"");
    byte[] bytes = full.getBytes(StandardCharsets.UTF_8);
    byte[] part = java.util.Arrays.copyOf(bytes, 1 + random.nextInt(bytes.length - 1));
    return new Request("half-sent request, then hang-up", part, Mode.HALF_THEN_HANG_UP);
  }

  private Request slow(Session session) {
    String body = order("qty", "\"1\"");
    String text = "POST /api/orders HTTP/1.1\r\nHost: " + host + "\r\n" + authHeaders(session)
        + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body;
    return new Request("slow writer", text.getBytes(StandardCharsets.UTF_8), Mode.SLOW);
  }

  private Request post(String kind, String path, String type, String body, Session session, boolean csrf) {
    byte[] payload = body.getBytes(StandardCharsets.UTF_8);
    String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + (csrf ? authHeaders(session) : "")
        + (type.isEmpty() ? "" : "Content-Type: " + type + "\r\n") + "Content-Length: " + payload.length
        + "\r\nConnection: close\r\n\r\n";
    byte[] head8 = head.getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = java.util.Arrays.copyOf(head8, head8.length + payload.length);
    System.arraycopy(payload, 0, all, head8.length, payload.length);
    return new Request(kind, all, Mode.WHOLE);
  }

  /** The session's cookie and the CSRF double submit (cookie and header), as a browser sends them. */
  private static String authHeaders(Session session) {
    return "Cookie: " + session.cookie() + "; XSRF-TOKEN=" + session.xsrf() + "\r\nX-XSRF-TOKEN: " + session.xsrf() + "\r\n";
  }

  private String order(String field, String value) {
    String base = "{\"symbol\":\"AAPL\",\"side\":\"buy\",\"type\":\"limit\",\"qty\":\"1\",\"limitPrice\":\"1.00\",\"timeInForce\":\"day\"";
    return base.replace("\"" + field + "\":\"1\"", "\"" + field + "\":" + value)
        .replace("\"" + field + "\":\"1.00\"", "\"" + field + "\":" + value)
        + (base.contains("\"" + field + "\"") ? "" : ",\"" + field + "\":" + value) + "}";
  }

  private Request whole(String kind, String text) {
    return new Request(kind, text.getBytes(StandardCharsets.ISO_8859_1), Mode.WHOLE);
  }

  private String randomPath() {
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < 1 + random.nextInt(20); i++) {
      path.append((char) (0x21 + random.nextInt(94)));
    }
    return path.toString().replace(" ", "%20");
  }

  private String randomAscii(int length) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      text.append((char) (0x20 + random.nextInt(95)));
    }
    return text.toString();
  }

  private String pick(String... options) {
    return options[random.nextInt(options.length)];
  }
}
