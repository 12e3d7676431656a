package com.portfoliostream.benchmarks;

import com.portfoliostream.web.Paths;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Opens sockets over raw TCP as the hostile users and sends each a script of hostile frames
 * ({@link HostileFrames}): messages the protocol must answer, then often framing that ends the
 * connection; reconnects whenever the server closes one. Some connections are upgrade attempts
 * without a valid session or with broken upgrade headers, followed by frames anyway.
 */
final class FrameFuzzer {

  /** Between two hostile messages on one socket: close to the per-socket rate limit of 100 a second. */
  private static final long PACE_MS = 12;
  private final int port;
  private final long target;
  private final FuzzTally tally;
  private final List<FuzzSession> users;

  FrameFuzzer(int port, long target, FuzzTally tally, List<FuzzSession> users) {
    this.port = port;
    this.target = target;
    this.tally = tally;
    this.users = users;
  }

  List<Thread> start(long seed, int workersPerUser) {
    List<Thread> workers = new java.util.ArrayList<>();
    for (int w = 0; w < users.size() * workersPerUser; w++) {
      FuzzSession user = users.get(w % users.size());
      Random random = new Random(seed + w);
      Thread worker = new Thread(() -> work(user, random), "fuzz-ws-" + w);
      worker.start();
      workers.add(worker);
    }
    return workers;
  }

  private void work(FuzzSession user, Random random) {
    HostileFrames frames = new HostileFrames(random);
    while (tally.framesSent.get() < target) {
      try {
        connection(user, random, frames);
      } catch (IOException e) {
        // the server closed the connection under us: reconnect
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void connection(FuzzSession user, Random random, HostileFrames frames) throws IOException, InterruptedException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(10_000);
      ServerFrames server = new ServerFrames(socket.getInputStream(), tally);
      server.start();
      OutputStream out = socket.getOutputStream();
      String upgrade = random.nextInt(100) < 15 ? hostileUpgrade(user, random) : upgrade(user.cookie(), "");
      tally.upgradeAttempts.incrementAndGet();
      out.write(upgrade.getBytes(StandardCharsets.ISO_8859_1));
      int status = server.awaitStatus(10_000);
      if (status >= 500) {
        tally.serverFault("HTTP " + status + " to an upgrade", "upgrade", FuzzTally.printable(
            upgrade.getBytes(StandardCharsets.ISO_8859_1), 300));
      }
      if (status != 101) {
        framesAnyway(out, random, frames);
        return;
      }
      tally.socketsOpened.incrementAndGet();
      if (script(out, random, frames, server)) {
        server.awaitEnd(3_000);
      }
    }
  }

  /**
   * Survivable messages, then framing that ends the connection, a proper close, or a hang-up;
   * true when the server is expected to close.
   */
  private boolean script(OutputStream out, Random random, HostileFrames frames, ServerFrames server)
      throws IOException, InterruptedException {
    int messages = 1 + random.nextInt(60);
    for (int i = 0; i < messages && !server.closedByServer(); i++) {
      send(out, frames.survivable(), server);
      Thread.sleep(PACE_MS);
    }
    int end = random.nextInt(10);
    if (end < 6 && !server.closedByServer()) {
      send(out, frames.fatal(), server);
    } else if (end < 8 && !server.closedByServer()) {
      send(out, new HostileFrames.Shot("normal close", List.of(HostileFrames.frame(HostileFrames.FIN | HostileFrames.CLOSE,
          new byte[] {0x03, (byte) 0xe8}, true)), true), server);
    } else {
      tally.sent("hang-up without a close");
      server.lastSent(new HostileFrames.Shot("hang-up without a close", List.of(), false));
    }
    return end < 8;
  }

  /** After a refused upgrade the bytes land on an HTTP connection, or on a closed one. */
  private void framesAnyway(OutputStream out, Random random, HostileFrames frames) throws IOException {
    for (int i = 0; i < 1 + random.nextInt(3); i++) {
      HostileFrames.Shot shot = random.nextBoolean() ? frames.survivable() : frames.fatal();
      tally.sent("after a refused upgrade: " + shot.kind());
      for (byte[] frame : shot.frames()) {
        out.write(frame);
        tally.framesSent.incrementAndGet();
        tally.framesSentUnauthenticated.incrementAndGet();
      }
    }
  }

  private void send(OutputStream out, HostileFrames.Shot shot, ServerFrames server) throws IOException {
    server.lastSent(shot);
    tally.sent(shot.kind());
    for (byte[] frame : shot.frames()) {
      if (server.closedByServer()) {
        return;
      }
      out.write(frame);
      tally.framesSent.incrementAndGet();
    }
  }

  private String upgrade(String cookie, String extra) {
    return "GET " + Paths.PORTFOLIO_SOCKET + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" + extra
        + (cookie.isEmpty() ? "" : "Cookie: " + cookie + "\r\n") + "\r\n";
  }

  private String hostileUpgrade(FuzzSession user, Random random) {
    String valid = user.cookie();
    return switch (random.nextInt(10)) {
      case 0 -> upgrade("", "");
      case 1 -> upgrade("session=" + UUID.randomUUID().toString().replace("-", ""), "");
      case 2 -> upgrade(valid + "; session=bogus", "");
      case 3 -> upgrade(valid, "Sec-WebSocket-Version: 99\r\n").replace("Sec-WebSocket-Version: 13\r\n", "");
      case 4 -> upgrade(valid, "").replace("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", "");
      case 5 -> upgrade(valid, "Origin: http://evil.example\r\n");
      case 6 -> upgrade(valid, "").replace(Paths.PORTFOLIO_SOCKET + " ", Paths.PORTFOLIO_SOCKET + "?%zz ");
      case 7 -> upgrade(valid, "").replace("GET ", "POST ");
      case 8 -> upgrade(valid, "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=99, x-webkit-deflate-frame\r\n"
          + "Sec-WebSocket-Protocol: " + "p,".repeat(2000) + "p\r\n");
      default -> upgrade("session=" + "A".repeat(8000), "Upgrade: websocket, h2c\r\n");
    };
  }
}
