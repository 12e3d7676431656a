package com.portfoliostream.benchmarks;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Hostile WebSocket frames as the bytes a client writes (masked, unless the point is not to be):
 * nonsense the protocol layer must answer with an error message, and framing RFC 6455 says ends
 * the connection ({@link Shot#fatal()}: reserved bits, bad opcodes, bad close codes, invalid
 * UTF-8, oversized or unmasked frames).
 */
final class HostileFrames {

  static final int FIN = 0x80;
  static final int TEXT = 0x1;
  static final int BINARY = 0x2;
  static final int CLOSE = 0x8;
  static final int PING = 0x9;
  static final int PONG = 0xA;
  /** The edge's message limit (StreamVerticle.MAX_MESSAGE_BYTES). */
  static final int LIMIT = 64 * 1024;

  /** One hostile act: its frames in order, and whether the server should end the connection. */
  record Shot(String kind, List<byte[]> frames, boolean fatal) {
    String describe() {
      return frames.isEmpty() ? kind : kind + ": " + FuzzTally.printable(frames.get(0), 160);
    }
  }

  private final Random random;

  HostileFrames(Random random) {
    this.random = random;
  }

  /** A message the server must survive and answer on the same socket. */
  Shot survivable() {
    return switch (random.nextInt(14)) {
      case 0 -> one("random bytes as binary", BINARY, bytes(1 + random.nextInt(2000)));
      case 1 -> one("random printable text", TEXT, printable(1 + random.nextInt(500)));
      case 2 -> text("invalid JSON", pick("{", "{\"type\":", "[[[", "{\"type\":\"ping\"", "nul", "\"ping\"", "{}{}",
          "{\"type\":\"subscribe\",\"channels\":[\"positions\",]}", "{'type':'ping'}", ""));
      case 3 -> text("huge numbers", pick("{\"type\":\"subscribe\",\"channels\":[1e999999999]}",
          "{\"type\":1" + "0".repeat(5000) + "}", "{\"type\":\"subscribe\",\"channels\":[\"positions\"],\"symbols\":[-1e-999999999]}",
          "123456789012345678901234567890123456789e99999", "{\"type\":\"ping\",\"n\":" + "9".repeat(60_000) + "}"));
      case 4 -> deepJson();
      case 5 -> text("unknown type or channel", pick("{\"type\":\"hack\"}", "{\"type\":\"subscribe\",\"channels\":[\"root\"]}",
          "{\"type\":\"subscribe\",\"channels\":\"positions\"}", "{\"type\":\"SUBSCRIBE\",\"channels\":[\"positions\"]}",
          "{\"type\":null}", "{\"type\":[\"ping\"]}", "{\"type\":\"unsubscribe\",\"channels\":[\"x\",\"y\",\"z\",1,2,3,4,5,6,7]}",
          "{\"type\":\"subscribe\",\"channels\":[\"positions\"],\"symbols\":" + manySymbols() + "}",
          "{\"type\":\"subscribe\",\"channels\":[{\"$ne\":1}]}", "{\"__proto__\":{\"type\":\"ping\"}}"));
      case 6 -> text("symbols with control characters", "{\"type\":\"subscribe\",\"channels\":[\"positions\"],\"symbols\":[\""
          + pick("AAPL\\u0000", "AAPL\u0001", "\\u202eLPAA", "AAPL\\n", " AAPL", "AAPL\\u0000\\u0000\\u0000", "A\tB", "\\ud800",
          "../../etc", "aapl", "AAPL\u007f", "%00AAPL", "BTC/USD\\u0000") + "\"]}");
      case 7 -> text("valid but hostile traffic", pick("{\"type\":\"subscribe\",\"channels\":[\"positions\",\"orders\",\"account\",\"trades\"]}",
          "{\"type\":\"unsubscribe\",\"channels\":[\"positions\"]}", "{\"type\":\"ping\"}",
          "{\"type\":\"subscribe\",\"channels\":[\"positions\"],\"symbols\":[\"AAPL\",\"MSFT\"],\"extra\":{\"a\":[1,2,3]}}"));
      case 8 -> fragmented();
      case 9 -> pingStorm();
      case 10 -> new Shot("unsolicited pongs", repeat(() -> frame(FIN | PONG, bytes(random.nextInt(126)), true), 10), false);
      case 11 -> one("empty frames", random.nextBoolean() ? TEXT : BINARY, new byte[0]);
      case 12 -> text("random JSON types", pick("[]", "null", "true", "0", "\"\"", "[{\"type\":\"ping\"}]", "{\"type\":\"ping\"}\n{\"type\":\"ping\"}"));
      default -> one("random UTF-8 text", TEXT, new String(randomCodePoints(), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8));
    };
  }

  /** Framing after which the server must close (or drop) the connection. */
  Shot fatal() {
    return switch (random.nextInt(11)) {
      case 0 -> new Shot("reserved bits set", List.of(frame(FIN | (0x10 << random.nextInt(3)) | TEXT,
          "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8), true)), true);
      case 1 -> new Shot("bad opcode", List.of(frame(FIN | pickInt(3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF), bytes(random.nextInt(100)), true)), true);
      case 2 -> badClose();
      case 3 -> new Shot("invalid UTF-8 text", List.of(frame(FIN | TEXT, invalidUtf8(), true)), true);
      case 4 -> new Shot("oversized frame", List.of(frame(FIN | (random.nextBoolean() ? TEXT : BINARY),
          "x".repeat(LIMIT + 1 + random.nextInt(3 * LIMIT)).getBytes(StandardCharsets.US_ASCII), true)), true);
      case 5 -> oversizedMessage();
      case 6 -> new Shot("unmasked frame", List.of(frame(FIN | TEXT, "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8), false)), true);
      case 7 -> new Shot("fragmented or oversized control frame", List.of(random.nextBoolean()
          ? frame(PING, bytes(10), true) : frame(FIN | PING, bytes(126 + random.nextInt(1000)), true)), true);
      case 8 -> new Shot("continuation without a start", List.of(frame(FIN, "x".getBytes(StandardCharsets.UTF_8), true)), true);
      case 9 -> new Shot("new message inside a fragmented one", List.of(frame(TEXT, "{\"ty".getBytes(StandardCharsets.UTF_8), true),
          frame(FIN | TEXT, "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8), true)), true);
      default -> new Shot("length of 2^63-1", List.of(hugeLengthHeader()), true);
    };
  }

  private Shot deepJson() {
    int depth = 1000 + random.nextInt(30_000);
    String open = random.nextBoolean() ? "[" : "{\"a\":";
    String close = open.equals("[") ? "]" : "}";
    String body = open.repeat(depth) + "1" + (random.nextBoolean() ? close.repeat(depth) : "");
    return text("deeply nested JSON", body.length() > LIMIT ? body.substring(0, LIMIT - 1) : body);
  }

  private Shot fragmented() {
    byte[] message = "{\"type\":\"subscribe\",\"channels\":[\"positions\"]}".getBytes(StandardCharsets.UTF_8);
    List<byte[]> frames = new ArrayList<>();
    int at = 0;
    int opcode = TEXT;
    while (at < message.length) {
      int size = Math.min(message.length - at, 1 + random.nextInt(8));
      byte[] part = java.util.Arrays.copyOfRange(message, at, at + size);
      at += size;
      frames.add(frame((at == message.length ? FIN : 0) | opcode, part, true));
      opcode = 0;
      if (random.nextInt(4) == 0) {
        frames.add(frame(FIN | PING, bytes(4), true));
      }
    }
    return new Shot("fragmented message", frames, false);
  }

  private Shot pingStorm() {
    return new Shot("ping storm", repeat(() -> frame(FIN | PING, bytes(random.nextInt(126)), true), 20 + random.nextInt(80)), false);
  }

  private Shot badClose() {
    int code = pickInt(0, 1, 999, 1004, 1005, 1006, 1012, 1014, 1015, 1016, 2999, 5000, 65535);
    byte[] payload = random.nextInt(4) == 0 ? new byte[] {3} : new byte[] {(byte) (code >> 8), (byte) code};
    if (random.nextInt(4) == 0) {
      payload = new byte[] {3, (byte) 0xe8, (byte) 0xc3, (byte) 0x28};
      return new Shot("close with an invalid UTF-8 reason", List.of(frame(FIN | CLOSE, payload, true)), true);
    }
    return new Shot("close with a bad code", List.of(frame(FIN | CLOSE, payload, true)), true);
  }

  private Shot oversizedMessage() {
    List<byte[]> frames = new ArrayList<>();
    int part = 16 * 1024;
    for (int sent = 0; sent <= LIMIT + part; sent += part) {
      frames.add(frame((sent == 0 ? TEXT : 0), "y".repeat(part).getBytes(StandardCharsets.US_ASCII), true));
    }
    frames.add(frame(FIN, "z".getBytes(StandardCharsets.US_ASCII), true));
    return new Shot("oversized fragmented message", frames, true);
  }

  private byte[] invalidUtf8() {
    return switch (random.nextInt(5)) {
      case 0 -> new byte[] {'{', (byte) 0xc3, (byte) 0x28, '}'};
      case 1 -> new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80};
      case 2 -> new byte[] {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80};
      case 3 -> new byte[] {'a', (byte) 0xff, 'b'};
      default -> new byte[] {(byte) 0xc0, (byte) 0xaf};
    };
  }

  private static byte[] hugeLengthHeader() {
    byte[] frame = new byte[14];
    frame[0] = (byte) (FIN | TEXT);
    frame[1] = (byte) (0x80 | 127);
    frame[2] = 0x7f;
    for (int i = 3; i < 10; i++) {
      frame[i] = (byte) 0xff;
    }
    return frame;
  }

  /** Encodes one frame: {@code first} is FIN, RSV1-3 and the opcode; any payload length. */
  static byte[] frame(int first, byte[] payload, boolean masked) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 14);
    out.write(first);
    int maskBit = masked ? 0x80 : 0;
    if (payload.length < 126) {
      out.write(maskBit | payload.length);
    } else if (payload.length < 65536) {
      out.write(maskBit | 126);
      out.write(payload.length >> 8);
      out.write(payload.length);
    } else {
      out.write(maskBit | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) ((long) payload.length >> shift));
      }
    }
    byte[] mask = {0x37, (byte) 0xfa, 0x21, 0x3d};
    if (masked) {
      out.writeBytes(mask);
    }
    for (int i = 0; i < payload.length; i++) {
      out.write(masked ? payload[i] ^ mask[i % 4] : payload[i]);
    }
    return out.toByteArray();
  }

  private Shot one(String kind, int opcode, byte[] payload) {
    return new Shot(kind, List.of(frame(FIN | opcode, payload, true)), false);
  }

  private Shot text(String kind, String text) {
    return one(kind, TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  private List<byte[]> repeat(java.util.function.Supplier<byte[]> frame, int times) {
    List<byte[]> frames = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      frames.add(frame.get());
    }
    return frames;
  }

  private String manySymbols() {
    StringBuilder symbols = new StringBuilder("[");
    for (int i = 0; i < 600; i++) {
      symbols.append(i == 0 ? "" : ",").append("\"S").append(i).append('"');
    }
    return symbols.append(']').toString();
  }

  private byte[] bytes(int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  private byte[] printable(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (0x20 + random.nextInt(95));
    }
    return bytes;
  }

  private byte[] randomCodePoints() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 1 + random.nextInt(100); i++) {
      int cp = random.nextInt(0x10ffff);
      text.appendCodePoint(cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp);
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  private String pick(String... options) {
    return options[random.nextInt(options.length)];
  }

  private int pickInt(int... options) {
    return options[random.nextInt(options.length)];
  }
}
