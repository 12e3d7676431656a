package com.portfoliostream.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Sends hostile HTTP requests over raw TCP, one connection each, from a few threads; reads the
 * head of each answer and counts its status. A 5xx is a server fault, kept with its request.
 */
final class RequestFuzzer {

  /** How long an answer may take before the request counts as unanswered. */
  private static final int ANSWER_TIMEOUT_MS = 2_000;
  private static final int HEAD_LIMIT = 64 * 1024;
  private final int port;
  private final long target;
  private final FuzzTally tally;
  private final List<FuzzSession> sessions;

  /** One worker per session: a session's CSRF token is renewed by its own calls, one at a time. */
  RequestFuzzer(int port, long target, FuzzTally tally, List<FuzzSession> sessions) {
    this.port = port;
    this.target = target;
    this.tally = tally;
    this.sessions = sessions;
  }

  List<Thread> start(long seed) {
    return sessions.stream().map(session -> {
      Random random = new Random(seed + sessions.indexOf(session));
      Thread worker = new Thread(() -> work(new HostileRequests(random, port), session, random), "fuzz-http");
      worker.start();
      return worker;
    }).toList();
  }

  private void work(HostileRequests requests, FuzzSession session, Random random) {
    while (tally.requestsSent.incrementAndGet() <= target) {
      HostileRequests.Request request = requests.next(session);
      tally.sent(request.kind());
      try {
        send(request, session, random);
      } catch (IOException e) {
        tally.httpStatus(-1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    tally.requestsSent.decrementAndGet();
  }

  private void send(HostileRequests.Request request, FuzzSession session, Random random)
      throws IOException, InterruptedException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setTcpNoDelay(true);
      OutputStream out = socket.getOutputStream();
      switch (request.mode()) {
        case WHOLE -> write(out, request.bytes());
        case SLOW -> trickle(out, request.bytes());
        case HALF_THEN_HANG_UP -> {
          write(out, request.bytes());
          socket.setSoTimeout(200 + random.nextInt(800));
        }
      }
      if (request.mode() != HostileRequests.Mode.HALF_THEN_HANG_UP) {
        socket.setSoTimeout(ANSWER_TIMEOUT_MS);
      }
      String head = readHead(new java.io.BufferedInputStream(socket.getInputStream()));
      int status = status(head);
      tally.httpStatus(status);
      if (status < 0 && request.mode() != HostileRequests.Mode.HALF_THEN_HANG_UP) {
        tally.unanswered(request.kind());
      }
      if (status >= 500) {
        tally.serverFault("HTTP " + status, request.kind(), request.describe());
      }
      session.renewFrom(head);
    }
  }

  /** The server may answer and close before all of a hostile request is written: that is fine. */
  private static void write(OutputStream out, byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      // closed by the server mid-request; its answer (if any) is still read
    }
  }

  /** Ten bytes every 50 ms: a slow client, not a stopped one. */
  private static void trickle(OutputStream out, byte[] bytes) throws InterruptedException {
    for (int at = 0; at < bytes.length; at += 10) {
      write(out, java.util.Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + 10)));
      Thread.sleep(50);
    }
  }

  /** The status line and headers of the answer (after any 100 Continue), or empty when none came. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    try {
      int b;
      while (head.size() < HEAD_LIMIT && (b = in.read()) >= 0) {
        head.write(b);
        String text = head.toString(StandardCharsets.ISO_8859_1);
        if (text.endsWith("\r\n\r\n")) {
          if (!text.startsWith("HTTP/1.1 100")) {
            return text;
          }
          head.reset();
        }
      }
    } catch (SocketTimeoutException | java.net.SocketException e) {
      // no (complete) answer: the caller counts it as none
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  static int status(String head) {
    if (!head.startsWith("HTTP/") || head.length() < 12) {
      return -1;
    }
    try {
      return Integer.parseInt(head.substring(9, 12));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
