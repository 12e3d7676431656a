package com.portfoliostream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.portfoliostream.testkit.EdgeCluster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Client mistakes at the HTTP level: each is a 4xx (or a closed connection), never a 5xx or an ERROR line. */
@DisplayName("Malformed requests to the edge")
class HostileRequestsTest {

  static EdgeCluster<StreamVerticle> cluster;
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = EdgeCluster.start(1, Map.of(), StreamEdge.ROLE);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  @BeforeEach
  void captureLog() {
    log.start();
    root().addAppender(log);
  }

  @AfterEach
  void noErrorLogged() {
    root().detachAppender(log);
    assertThat(log.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
        .extracting(ILoggingEvent::getFormattedMessage).as("ERROR lines").isEmpty();
  }

  @ParameterizedTest(name = "GET {0} is a 400 in JSON")
  @ValueSource(strings = {"/api/orders?%", "/api/orders?%zz", "/api/trades?since=%", "/api/health?a=%"})
  void malformedQuery(String target) throws Exception {
    String response = exchange("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");

    assertThat(statusLine(response)).startsWith("HTTP/1.1 400");
    assertThat(response).contains("\"INVALID_REQUEST\"").contains("query");
  }

  @ParameterizedTest(name = "GET {0} is a 400 in JSON")
  @ValueSource(strings = {"/app/%zz", "/api/orders/%zz", "/client/%", "/%"})
  void malformedPath(String target) throws Exception {
    String response = exchange("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");

    assertThat(statusLine(response)).startsWith("HTTP/1.1 400");
    assertThat(response).contains("\"INVALID_REQUEST\"").contains("path");
  }

  @ParameterizedTest(name = "{0} is a 400 in JSON, not Vert.x core's 501")
  @ValueSource(strings = {"HTTP/9.9", "HTTP/2.0", "HTTP/1.2", "HTTP/0.9"})
  void unsupportedHttpVersion(String version) throws Exception {
    String response = exchange("GET /api/health " + version + "\r\nHost: 127.0.0.1\r\n\r\n");

    assertThat(statusLine(response)).startsWith("HTTP/1.1 400");
    assertThat(response).contains("\"INVALID_REQUEST\"").contains("Unsupported HTTP version " + version)
        .contains("application/json");
  }

  @Test
  @DisplayName("a request line over the limit is a 414 in JSON, headers over it a 431")
  void oversizedRequestLineAndHeaders() throws Exception {
    String line = exchange("GET /api/health?" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    String headers = exchange("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: " + "a".repeat(10_000)
        + "\r\n\r\n");

    assertThat(statusLine(line)).matches("HTTP/1\\.[01] 414 .*");
    assertThat(line).contains("\"INVALID_REQUEST\"");
    assertThat(statusLine(headers)).matches("HTTP/1\\.[01] 431 .*");
    assertThat(headers).contains("\"INVALID_REQUEST\"");
  }

  @Test
  @DisplayName("a content type that only starts like JSON is 415")
  void lookalikeContentType() throws Exception {
    String body = "{\"username\":\"alice\",\"password\":\"x\"}";
    String response = exchange("POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        + "Content-Type: application/jsonx\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);

    assertThat(statusLine(response)).startsWith("HTTP/1.1 415");
  }

  @Test
  @DisplayName("a chunk size that is not hex, or overflows, is refused without a 5xx")
  void badChunking() throws Exception {
    for (String chunk : new String[] {"zz\r\n{}\r\n0\r\n\r\n", "fffffffffffffffffff\r\n{}\r\n0\r\n\r\n"}) {
      String response = exchange("POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
          + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk);

      assertThat(statusLine(response)).as(chunk).satisfiesAnyOf(
          line -> assertThat(line).isEmpty(), line -> assertThat(line).matches("HTTP/1.1 4\\d\\d.*"));
    }
  }

  @Test
  @DisplayName("a client that hangs up in the middle of its body costs nothing but its connection")
  void hangUpMidBody() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", cluster.node(0).port())) {
      socket.getOutputStream().write(("POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Content-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"username\":").getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
    }
    // The node still answers, so the hang-up has been handled by the time the log is checked.
    assertThat(statusLine(exchange("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")))
        .startsWith("HTTP/1.1 200");
  }

  private static String exchange(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", cluster.node(0).port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      try {
        for (int n; (n = in.read(buffer)) > 0; ) {
          answer.write(buffer, 0, n);
        }
      } catch (SocketTimeoutException | java.net.SocketException e) {
        // what came before the timeout or reset is the answer
      }
      return answer.toString(StandardCharsets.ISO_8859_1);
    }
  }

  private static String statusLine(String response) {
    int end = response.indexOf("\r\n");
    return end < 0 ? response : response.substring(0, end);
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }
}
