package com.portfoliostream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.testkit.EdgeCluster;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** What a client may hold open before it is anyone: timeouts, h2c, connections per address. */
@DisplayName("Connections to the edge before sign-in")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConnectionLimitsTest {

  private static final int PER_ADDRESS = 5;
  static EdgeCluster<StreamVerticle> cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = EdgeCluster.start(1, Map.of("REQUEST_HEADER_TIMEOUT_MS", "1500",
        "MAX_CONNECTIONS_PER_ADDRESS", Integer.toString(PER_ADDRESS)), StreamEdge.ROLE);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  @Test
  @Order(1)
  @DisplayName("one address holds at most its connections: the next is closed at once, the others stay")
  void capPerAddress() throws Exception {
    List<Socket> held = new ArrayList<>();
    try {
      for (int i = 0; i < PER_ADDRESS; i++) {
        held.add(answered());
      }
      try (Socket extra = connect()) {
        assertThat(closedWithin(extra, 1_000)).as("the connection over the cap").isTrue();
      }
      assertThat(closedWithin(held.get(0), 200)).as("a connection within the cap").isFalse();
    } finally {
      for (Socket socket : held) {
        socket.close();
      }
    }
  }

  @Test
  @Order(2)
  @DisplayName("a request whose headers never end is closed within the header timeout")
  void halfSentRequest() throws Exception {
    try (Socket socket = connect()) {
      socket.getOutputStream().write("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();

      assertThat(closedWithin(socket, 5_000)).isTrue();
    }
  }

  @Test
  @Order(3)
  @DisplayName("Upgrade: h2c is not taken up, with or without HTTP2-Settings: an ordinary, complete answer")
  void noH2c() throws Exception {
    for (String settings : new String[] {"HTTP2-Settings: AAMAAABkAAQAAP__\r\n", ""}) {
      try (Socket socket = connect()) {
        socket.getOutputStream().write(("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade, "
            + "HTTP2-Settings\r\nUpgrade: h2c\r\n" + settings + "\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();

        String answer = readUntil(socket, "}}", 5_000);
        assertThat(answer).as(settings).startsWith("HTTP/1.1 200").doesNotContain("101 Switching");
      }
    }
  }

  /**
   * A connection with one keep-alive request answered on it: the server has counted it by then
   * (connections are spread over several event loops, so a bare connect may not be counted yet).
   */
  private static Socket answered() throws IOException {
    Socket socket = connect();
    socket.setSoTimeout(10_000);
    socket.getOutputStream().write("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    InputStream in = socket.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed before an answer: " + head);
      }
      head.append((char) b);
    }
    java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)Content-Length: (\\d+)").matcher(head);
    if (length.find()) {
      in.readNBytes(Integer.parseInt(length.group(1)));
    }
    socket.setSoTimeout(100);
    return socket;
  }

  private static Socket connect() throws IOException {
    Socket socket = new Socket("127.0.0.1", cluster.node(0).port());
    socket.setSoTimeout(100);
    return socket;
  }

  /** True when the server closed the connection (end of stream) within {@code ms}. */
  private static boolean closedWithin(Socket socket, long ms) throws IOException {
    long deadline = System.currentTimeMillis() + ms;
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[1024];
    while (System.currentTimeMillis() < deadline) {
      try {
        if (in.read(buffer) < 0) {
          return true;
        }
      } catch (SocketTimeoutException e) {
        // still open
      } catch (java.net.SocketException reset) {
        return true;
      }
    }
    return false;
  }

  /** What the server sends until {@code end} appears (the end of the health answer), within {@code ms}. */
  private static String readUntil(Socket socket, String end, long ms) throws IOException {
    long deadline = System.currentTimeMillis() + ms;
    StringBuilder text = new StringBuilder();
    byte[] buffer = new byte[4096];
    while (System.currentTimeMillis() < deadline) {
      try {
        int n = socket.getInputStream().read(buffer);
        if (n < 0) {
          break;
        }
        text.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
        if (text.indexOf(end) >= 0) {
          return text.toString();
        }
      } catch (SocketTimeoutException e) {
        // keep reading
      }
    }
    throw new AssertionError("no complete answer within " + ms + " ms: " + text);
  }
}
