package com.portfoliostream.stream.ws;

import com.portfoliostream.events.protocol.EventType;
import com.portfoliostream.events.protocol.ServerEvent;
import com.portfoliostream.stream.batch.PendingFrame;
import io.vertx.core.http.ServerWebSocket;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * A socket's outbound side and its slow-consumer policy. Events go straight to the
 * {@link FrameWriter} while the client keeps up. While it does not (the write queue is full),
 * only the newest state of each entity is held, in a bounded backlog, with a few control events
 * (info, error, pong) beside it; both go out, controls first, when the queue drains. A backlog
 * that overflows, or a client still behind after {@link #SLOW_CONSUMER_GRACE_MS}, is a slow
 * consumer: the socket closes it 1013.
 */
final class OutboundQueue {

  /** Bytes queued for the client before it counts as not keeping up. */
  static final int WRITE_QUEUE_BYTES = 256 * 1024;
  /** Entity states held for a client that is not keeping up; beyond it the socket is closed 1013. */
  static final int MAX_BACKLOG = 2_000;
  static final int MAX_CONTROL_BACKLOG = 32;
  /** How long a client may stay unable to keep up before it is closed 1013. */
  static final long SLOW_CONSUMER_GRACE_MS = 10_000;

  private final ServerWebSocket socket;
  private final FrameWriter writer;
  private final String userId;
  private final Clock clock;
  private final Runnable onOverflow;
  /** Made the first time the client falls behind: most sockets never do, and hold nothing. */
  private PendingFrame backlog;
  private List<ServerEvent> controlBacklog;
  private Long fullSince;
  private boolean stopped;

  /** {@code onOverflow} runs when the backlog cannot hold another event. */
  OutboundQueue(ServerWebSocket socket, FrameWriter writer, String userId, Clock clock, Runnable onOverflow) {
    this.socket = socket;
    this.writer = writer;
    this.userId = userId;
    this.clock = clock;
    this.onOverflow = onOverflow;
  }

  /** Bounds what Vert.x queues for the client; called once the socket is admitted. */
  void limitWriteQueue() {
    socket.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
  }

  /** Writes the event now, or holds it while the client is not keeping up. Nothing after {@link #stop}. */
  void offer(ServerEvent event, SharedFrame shared) {
    if (stopped) {
      return;
    }
    if (fullSince != null || socket.writeQueueFull()) {
      hold(event);
      return;
    }
    writer.write(event, shared);
  }

  private void hold(ServerEvent event) {
    if (fullSince == null) {
      fullSince = clock.millis();
      socket.drainHandler(v -> drain());
    }
    if (backlog == null) {
      backlog = new PendingFrame(MAX_BACKLOG);
      controlBacklog = new ArrayList<>();
    }
    boolean kept = event.type().channel().isPresent() || event.type() == EventType.BATCH
        || event.type() == EventType.SNAPSHOT
        ? backlog.add(event, event.timestamp())
        : controlBacklog.size() < MAX_CONTROL_BACKLOG && controlBacklog.add(event);
    if (!kept) {
      onOverflow.run();
    }
  }

  private void drain() {
    if (stopped || backlog == null) {
      return;
    }
    List<ServerEvent> controls = new ArrayList<>(controlBacklog);
    controlBacklog.clear();
    controls.forEach(control -> writer.write(control, null));
    ServerEvent merged = backlog.drain(userId, clock.instant());
    if (merged != null) {
      writer.write(merged, null);
    }
    fullSince = null;
  }

  /** True when the client has been unable to keep up for longer than the grace period. */
  boolean slowerThanGrace() {
    return fullSince != null && clock.millis() - fullSince > SLOW_CONSUMER_GRACE_MS;
  }

  /** Sends nothing more; true when events were held back, i.e. a close frame would wait behind them. */
  boolean stop() {
    stopped = true;
    return fullSince != null;
  }
}
