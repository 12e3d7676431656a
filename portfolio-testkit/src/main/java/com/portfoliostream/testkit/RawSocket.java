package com.portfoliostream.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client written by hand over TCP that never answers pings: how a frozen or vanished
 * client looks to the server. Records the frames the server sends.
 */
public final class RawSocket implements AutoCloseable {

  /** One frame from the server: opcode and payload. */
  public record Frame(int opcode, byte[] payload) {
    public int closeCode() {
      return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
    }

    public String closeReason() {
      return new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
    }
  }

  private final NetSocket socket;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private final List<Frame> frames = new ArrayList<>();
  private boolean upgraded;
  private String upgradeResponse = "";
  private boolean connectionClosed;

  private RawSocket(NetSocket socket) {
    this.socket = socket;
    socket.handler(this::onData);
    socket.closeHandler(v -> connectionClosed());
  }

  private synchronized void connectionClosed() {
    connectionClosed = true;
    notifyAll();
  }

  /** Waits until the server closes the TCP connection; false when it is still open at the deadline. */
  public synchronized boolean awaitConnectionClosed(long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (!connectionClosed && System.currentTimeMillis() < deadline) {
      wait(Math.max(1, deadline - System.currentTimeMillis()));
    }
    return connectionClosed;
  }

  /** The frames received so far. */
  public synchronized List<Frame> frames() {
    return List.copyOf(frames);
  }

  public static RawSocket open(Vertx vertx, int port, String cookie) throws Exception {
    return open(vertx, port, cookie, new io.vertx.core.net.NetClientOptions());
  }

  /** With a small receive buffer, a client that stops reading backs the server up quickly. */
  public static RawSocket openWithSmallBuffer(Vertx vertx, int port, String cookie) throws Exception {
    return open(vertx, port, cookie, new io.vertx.core.net.NetClientOptions().setReceiveBufferSize(4096));
  }

  /** Opens with extra upgrade request headers, e.g. an offer of {@code permessage-deflate}. */
  public static RawSocket open(Vertx vertx, int port, String cookie, Map<String, String> headers) throws Exception {
    return open(vertx, port, cookie, new io.vertx.core.net.NetClientOptions(), headers);
  }

  private static RawSocket open(Vertx vertx, int port, String cookie, io.vertx.core.net.NetClientOptions options)
      throws Exception {
    return open(vertx, port, cookie, options, Map.of());
  }

  private static RawSocket open(Vertx vertx, int port, String cookie, io.vertx.core.net.NetClientOptions options,
      Map<String, String> headers) throws Exception {
    NetSocket socket = vertx.createNetClient(options).connect(port, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    RawSocket raw = new RawSocket(socket);
    StringBuilder extra = new StringBuilder();
    headers.forEach((name, value) -> extra.append(name).append(": ").append(value).append("\r\n"));
    socket.write("GET /ws/portfolio HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        + "Sec-WebSocket-Version: 13\r\n" + extra + "Cookie: " + cookie + "\r\n\r\n");
    return raw;
  }

  private synchronized void onData(Buffer data) {
    pending.writeBytes(data.getBytes());
    byte[] bytes = pending.toByteArray();
    int offset = 0;
    if (!upgraded) {
      String text = new String(bytes, StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      if (end < 0) {
        return;
      }
      if (!text.startsWith("HTTP/1.1 101")) {
        throw new IllegalStateException("upgrade refused: " + text.lines().findFirst().orElse(""));
      }
      upgraded = true;
      upgradeResponse = text.substring(0, end);
      offset = end + 4;
      notifyAll();
    }
    while (bytes.length - offset >= 2) {
      int opcode = bytes[offset] & 0x0f;
      int length = bytes[offset + 1] & 0x7f;
      int header = 2;
      if (length == 126) {
        if (bytes.length - offset < 4) {
          break;
        }
        length = ((bytes[offset + 2] & 0xff) << 8) | (bytes[offset + 3] & 0xff);
        header = 4;
      } else if (length == 127) {
        if (bytes.length - offset < 10) {
          break;
        }
        long big = 0;
        for (int i = 0; i < 8; i++) {
          big = (big << 8) | (bytes[offset + 2 + i] & 0xff);
        }
        length = (int) big;
        header = 10;
      }
      if (bytes.length - offset - header < length) {
        break;
      }
      byte[] payload = new byte[length];
      System.arraycopy(bytes, offset + header, payload, 0, length);
      frames.add(new Frame(opcode, payload));
      offset += header + length;
    }
    pending.reset();
    pending.write(bytes, offset, bytes.length - offset);
    notifyAll();
  }

  /** Waits for the server's 101 answer to the upgrade. */
  public synchronized void awaitUpgrade(long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (!upgraded) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        throw new AssertionError("no 101 answer to the upgrade within " + timeoutMs + " ms");
      }
      wait(left);
    }
  }

  public synchronized Frame awaitFrame(int opcode, long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (true) {
      for (Frame frame : frames) {
        if (frame.opcode() == opcode) {
          return frame;
        }
      }
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        throw new AssertionError("no frame with opcode " + opcode + " within " + timeoutMs + " ms; got " + frames.size());
      }
      wait(left);
    }
  }

  /** Stops reading: the server's writes pile up in TCP buffers and then in its write queue. */
  public void stopReading() {
    socket.pause();
  }

  /** Sends one masked text frame (clients must mask). */
  public void sendText(String text) {
    sendFrame(0x81, text.getBytes(StandardCharsets.UTF_8));
  }

  /** The status line and headers of the server's 101 answer. */
  public synchronized String upgradeResponse() {
    return upgradeResponse;
  }

  /**
   * Sends one short masked frame whose first byte (FIN, RSV1-3, opcode) is {@code firstByte}, for
   * frames a well-behaved client never sends: reserved bits set, payloads that are not UTF-8.
   */
  public void sendFrame(int firstByte, byte[] payload) {
    if (payload.length > 125) {
      throw new IllegalArgumentException("short frames only");
    }
    byte[] frame = new byte[6 + payload.length];
    frame[0] = (byte) firstByte;
    frame[1] = (byte) (0x80 | payload.length);
    byte[] mask = {1, 2, 3, 4};
    System.arraycopy(mask, 0, frame, 2, 4);
    for (int i = 0; i < payload.length; i++) {
      frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
    }
    socket.write(Buffer.buffer(frame));
  }

  /** Sends one short frame without the mask every client frame must carry (RFC 6455 section 5.1). */
  public void sendUnmaskedFrame(int firstByte, byte[] payload) {
    if (payload.length > 125) {
      throw new IllegalArgumentException("short frames only");
    }
    byte[] frame = new byte[2 + payload.length];
    frame[0] = (byte) firstByte;
    frame[1] = (byte) payload.length;
    System.arraycopy(payload, 0, frame, 2, payload.length);
    socket.write(Buffer.buffer(frame));
  }

  @Override
  public void close() {
    socket.close();
  }
}
