package com.portfoliostream.stream.ws;

import com.portfoliostream.events.json.ServerEventCodec;
import com.portfoliostream.events.protocol.ServerEvent;
import io.vertx.core.http.ServerWebSocket;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a socket's frames, numbering them: every frame gets the next {@code seq} at the moment it
 * is written, so the numbers increase in the order the client receives them, whatever was held
 * back on the way. The only place that writes to the socket.
 */
final class FrameWriter {

  private static final Logger LOG = LoggerFactory.getLogger(FrameWriter.class);

  private final ServerWebSocket socket;
  private final String socketId;
  private final AtomicLong written = new AtomicLong();
  private long seq;

  FrameWriter(ServerWebSocket socket, String socketId) {
    this.socket = socket;
    this.socketId = socketId;
  }

  void write(ServerEvent event) {
    seq++;
    written.incrementAndGet();
    socket.writeTextMessage(ServerEventCodec.encode(event.withSeq(seq)))
        .onFailure(e -> LOG.debug("Write to socket {} failed: {}", socketId, e.getMessage()));
  }

  /** Frames written so far. */
  long written() {
    return written.get();
  }
}
