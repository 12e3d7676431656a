package com.portfoliostream.benchmarks;

import com.portfoliostream.events.json.ServerEventCodec;
import com.portfoliostream.events.model.Account;
import com.portfoliostream.events.model.PortfolioFrame;
import com.portfoliostream.events.model.Position;
import com.portfoliostream.events.protocol.ServerEvent;
import com.portfoliostream.events.protocol.ServerEvents;
import com.portfoliostream.testkit.Fixtures;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.Deflater;

/**
 * What permessage-deflate would save on the edge's own frames, to decide whether to negotiate it
 * (issue #15: inflation must be bounded, or compression off). Encodes the frames the edge sends at
 * the seed's load (a user's ten positions and account in one batch; a lone position update; an
 * order update), then deflates 1 000 of each as RFC 7692 does: raw DEFLATE, per message with no
 * context takeover, and with context takeover (the sliding window kept across a socket's frames).
 * Prints and saves bytes per frame and CPU per frame. Usage: bin/benchmark-compression
 */
public final class CompressionFigures {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CompressionFigures.class);
  private static final int FRAMES = 1_000;

  private CompressionFigures() {}

  public static void main(String[] args) throws IOException {
    UUID user = UUID.randomUUID();
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("machine", Machine.describe());
    report.put("command", "bin/benchmark-compression");
    report.put("batchOfTenPositionsAndAccount", measure(i -> batch(user, i)));
    report.put("singlePositionUpdate", measure(i -> Fixtures.position(user, "AAPL", (170 + i % 50) + ".25", i)));
    report.put("orderUpdate", measure(i -> Fixtures.order(user, "MSFT",
        com.portfoliostream.events.model.OrderStatus.PARTIALLY_FILLED)));
    report.put("measuredAt", Instant.now().toString());
    Files.createDirectories(Reports.DIR);
    Files.writeString(Reports.DIR.resolve("websocket-compression.json"), new JsonObject(report).encodePrettily() + "\n");
    Files.writeString(Reports.DIR.resolve("websocket-compression.md"), markdown(report));
    LOG.info("{}", new JsonObject(report).encodePrettily());
  }

  interface Frames {
    ServerEvent frame(int i);
  }

  private static Map<String, Object> measure(Frames frames) {
    List<byte[]> encoded = new ArrayList<>();
    for (int i = 0; i < FRAMES; i++) {
      encoded.add(ServerEventCodec.encode(frames.frame(i).withSeq(i + 1)).getBytes(StandardCharsets.UTF_8));
    }
    long raw = encoded.stream().mapToLong(b -> b.length).sum();
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("rawBytesPerFrame", raw / FRAMES);
    figures.put("noContextTakeover", deflate(encoded, false));
    figures.put("contextTakeover", deflate(encoded, true));
    return figures;
  }

  private static Map<String, Object> deflate(List<byte[]> frames, boolean keepContext) {
    long bytes = 0;
    long started = System.nanoTime();
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    byte[] out = new byte[1 << 16];
    for (byte[] frame : frames) {
      if (!keepContext) {
        deflater.reset();
      }
      deflater.setInput(frame);
      int n = deflater.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
      bytes += Math.max(0, n - 4); // RFC 7692 drops the trailing 00 00 ff ff of the sync flush
    }
    long micros = (System.nanoTime() - started) / 1000;
    deflater.end();
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("bytesPerFrame", bytes / frames.size());
    figures.put("cpuMicrosPerFrame", Math.round(micros * 10.0 / frames.size()) / 10.0);
    return figures;
  }

  private static ServerEvent batch(UUID user, int i) {
    List<Position> positions = new ArrayList<>();
    for (String symbol : List.of("AAPL", "MSFT", "NVDA", "TSLA", "GOOGL", "AMZN", "META", "AMD", "NFLX", "IBM")) {
      positions.add((Position) Fixtures.position(user, symbol, (100 + (i * 7 + symbol.length()) % 90) + ".37", i)
          .data());
    }
    Account account = (Account) Fixtures.account(user, (100_000 + i) + ".12").data();
    return ServerEvents.batch(user.toString(), new PortfolioFrame(positions, null, account, null), Instant.now());
  }

  @SuppressWarnings("unchecked")
  private static String markdown(Map<String, Object> report) {
    StringBuilder md = new StringBuilder("# permessage-deflate on the edge's frames\n\n")
        .append("Machine: ").append(report.get("machine")).append("  \nCommand: `")
        .append(report.get("command")).append("`  \nMeasured: ").append(report.get("measuredAt"))
        .append("\n\n| frame | raw bytes | deflate, no context takeover | µs/frame | deflate, context takeover | µs/frame |\n")
        .append("| --- | ---: | ---: | ---: | ---: | ---: |\n");
    for (String kind : List.of("batchOfTenPositionsAndAccount", "singlePositionUpdate", "orderUpdate")) {
      Map<String, Object> f = (Map<String, Object>) report.get(kind);
      Map<String, Object> off = (Map<String, Object>) f.get("noContextTakeover");
      Map<String, Object> on = (Map<String, Object>) f.get("contextTakeover");
      md.append("| ").append(kind).append(" | ").append(f.get("rawBytesPerFrame")).append(" | ")
          .append(off.get("bytesPerFrame")).append(" | ").append(off.get("cpuMicrosPerFrame")).append(" | ")
          .append(on.get("bytesPerFrame")).append(" | ").append(on.get("cpuMicrosPerFrame")).append(" |\n");
    }
    return md.append("\nCPU is the server's deflate only; the client's inflate comes on top, and the ")
        .append("server holds a deflater (and, with context takeover, a 32 KiB window) per socket.\n").toString();
  }
}
