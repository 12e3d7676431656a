package com.portfoliostream.benchmarks;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads what the server sends on one raw connection, on its own thread: the upgrade answer, then
 * its frames. Counts how the server ended the socket (close code, or none), and reports as server
 * faults a 1011 close or an {@code INTERNAL_ERROR} message, with the hostile shot sent last.
 */
final class ServerFrames extends Thread {

  private static final int INTERNAL_ERROR_CLOSE = 1011;
  private final DataInputStream in;
  private final FuzzTally tally;
  private volatile HostileFrames.Shot lastSent;
  private int status = -2;
  private boolean ended;
  private volatile boolean closedByServer;

  ServerFrames(InputStream in, FuzzTally tally) {
    super("fuzz-ws-reader");
    setDaemon(true);
    this.in = new DataInputStream(new BufferedInputStream(in));
    this.tally = tally;
  }

  void lastSent(HostileFrames.Shot shot) {
    lastSent = shot;
  }

  boolean closedByServer() {
    return closedByServer;
  }

  @Override
  public void run() {
    int closeCode = -1;
    try {
      String head = readHead();
      setStatus(RequestFuzzer.status(head));
      if (status == 101) {
        closeCode = readFrames();
      }
    } catch (IOException e) {
      // the connection ended
    } finally {
      closedByServer = true;
      if (status == 101) {
        HostileFrames.Shot shot = lastSent;
        tally.closeCode(closeCode, shot == null ? "nothing sent yet" : shot.kind());
      }
      setStatus(status == -2 ? -1 : status);
      synchronized (this) {
        ended = true;
        notifyAll();
      }
    }
  }

  /** Frames until the server's close frame (its code) or the end of the connection (-1). */
  private int readFrames() throws IOException {
    while (true) {
      int first = in.readUnsignedByte();
      int second = in.readUnsignedByte();
      long length = second & 0x7f;
      if (length == 126) {
        length = in.readUnsignedShort();
      } else if (length == 127) {
        length = in.readLong();
      }
      byte[] payload = new byte[(int) Math.min(length, 1 << 20)];
      in.readFully(payload);
      int opcode = first & 0x0f;
      if (opcode == HostileFrames.CLOSE) {
        int code = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        if (code == INTERNAL_ERROR_CLOSE) {
          fault("close 1011 " + new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8));
        }
        closedByServer = true;
        return code;
      }
      if (opcode == HostileFrames.TEXT && new String(payload, StandardCharsets.UTF_8).contains("\"INTERNAL_ERROR\"")) {
        fault("INTERNAL_ERROR message " + FuzzTally.printable(payload, 300));
      }
    }
  }

  private void fault(String answer) {
    HostileFrames.Shot shot = lastSent;
    tally.serverFault(answer, shot == null ? "none yet" : shot.kind(), shot == null ? "" : shot.describe());
  }

  private String readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.readUnsignedByte();
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private synchronized void setStatus(int status) {
    this.status = status;
    notifyAll();
  }

  /** The status of the upgrade answer; -1 when the connection ended without one. */
  synchronized int awaitStatus(long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (status == -2 && System.currentTimeMillis() < deadline) {
      wait(Math.max(1, deadline - System.currentTimeMillis()));
    }
    return status;
  }

  /** Waits until the server has closed the connection, at most {@code timeoutMs}. */
  synchronized void awaitEnd(long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (!ended && System.currentTimeMillis() < deadline) {
      wait(Math.max(1, deadline - System.currentTimeMillis()));
    }
  }
}
