package com.portfoliostream.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP/1.1 over a plain socket, as a load balancer speaking the PROXY protocol (version 2,
 * HAProxy's {@code send-proxy-v2}) sends it: from a chosen loopback address, with a header naming
 * the client it forwards. One request per connection.
 */
public final class ProxiedHttp {

  /** The twelve bytes every PROXY v2 header starts with. */
  private static final byte[] SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
  private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.[01] (\\d{3})");

  /** The answer: its status (0 when the connection closed without one), and the whole text. */
  public record Answer(int status, String text) {
    public Optional<String> cookie(String name) {
      Matcher m = Pattern.compile("(?im)^Set-Cookie: " + Pattern.quote(name) + "=([^;\r\n]*)").matcher(text);
      return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
  }

  private final String fromAddress;
  private final int port;

  /** Connects from {@code fromAddress} (a loopback address such as 127.0.0.2) to 127.0.0.1:port. */
  public ProxiedHttp(String fromAddress, int port) {
    this.fromAddress = fromAddress;
    this.port = port;
  }

  /** The PROXY v2 header of a TCP over IPv4 connection from {@code client}:{@code clientPort}. */
  public static byte[] headerV2(String client, int clientPort, int serverPort) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(SIGNATURE.length + 4 + 12);
    header.put(SIGNATURE).put((byte) 0x21).put((byte) 0x11).putShort((short) 12);
    header.put(InetAddress.getByName(client).getAddress()).put(InetAddress.getByName("127.0.0.1").getAddress());
    header.putShort((short) clientPort).putShort((short) serverPort);
    return header.array();
  }

  /** Sends {@code request} after a PROXY header naming {@code client} (none when null). */
  public Answer send(String client, String request) throws IOException {
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(fromAddress, 0));
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(10_000);
      if (client != null) {
        socket.getOutputStream().write(headerV2(client, 40_000, port));
      }
      socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
      return read(socket.getInputStream());
    }
  }

  /**
   * Opens a connection with a PROXY header naming {@code client}, has one keep-alive request
   * answered on it (so the server has surely counted it), and holds it open; the caller closes it.
   */
  public Socket hold(String client) throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(fromAddress, 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(10_000);
    socket.getOutputStream().write(headerV2(client, 40_000, port));
    socket.getOutputStream().write("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.UTF_8));
    socket.getOutputStream().flush();
    String head = readHead(socket.getInputStream());
    Matcher length = Pattern.compile("(?im)^Content-Length: (\\d+)").matcher(head);
    if (!STATUS.matcher(head).find() || !length.find()) {
      socket.close();
      throw new IOException("no answer on a held connection: " + head);
    }
    socket.getInputStream().readNBytes(Integer.parseInt(length.group(1)));
    return socket;
  }

  /** Reads up to and including the blank line that ends the headers. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    for (int b; (b = in.read()) >= 0; ) {
      head.write(b);
      String text = head.toString(StandardCharsets.ISO_8859_1);
      if (text.endsWith("\r\n\r\n")) {
        return text;
      }
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private static Answer read(InputStream in) throws IOException {
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    try {
      for (int n; (n = in.read(buffer)) > 0; ) {
        answer.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException | SocketException e) {
      // what came before the timeout or reset is the answer
    }
    String text = answer.toString(StandardCharsets.UTF_8);
    Matcher m = STATUS.matcher(text);
    return new Answer(m.find() ? Integer.parseInt(m.group(1)) : 0, text);
  }
}
