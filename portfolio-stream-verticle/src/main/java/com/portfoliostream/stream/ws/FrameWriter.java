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

  /**
   * Writes the event with the next {@code seq} (from {@code shared}'s one encoding when it is that
   * frame, else encoded here); false, and the number not used, when the socket is
   * already closed (the client hung up and Vert.x has not told us yet): nothing is thrown at the
   * caller, which may be delivering to this user's other sockets.
   */
  boolean write(ServerEvent event, SharedFrame shared) {
    if (socket.isClosed()) {
      return false;
    }
    long next = seq + 1;
    try {
      socket.writeTextMessage(shared != null ? shared.withSeq(next) : ServerEventCodec.encode(event.withSeq(next)))
          .onFailure(e -> LOG.debug("Write to socket {} failed: {}", socketId, e.getMessage()));
    } catch (IllegalStateException closedMeanwhile) {
      LOG.debug("Socket {} closed before a write: {}", socketId, closedMeanwhile.getMessage());
      return false;
    }
    seq = next;
    written.incrementAndGet();
    return true;
  }

  /** Frames written so far. */
  long written() {
    return written.get();
  }
}
