package com.portfoliostream.stream.ws;

import com.portfoliostream.events.json.ServerEventCodec;
import com.portfoliostream.events.model.Order;
import com.portfoliostream.events.model.PortfolioFrame;
import com.portfoliostream.events.model.Position;
import com.portfoliostream.events.model.Trade;
import com.portfoliostream.events.protocol.ServerEvent;
import com.portfoliostream.stream.batch.EdgeMetrics;
import com.portfoliostream.stream.batch.Flush;
import com.portfoliostream.stream.batch.PendingFrame;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A frame the batching stage hands to every socket of a user, encoded to JSON at most once
 * however many of them take it whole: each socket only numbers it. Read from several event loops;
 * two loops racing may both encode (or index the stamps), which costs time but never correctness.
 * Each socket reports what it took after its filter ({@link #delivered}), so that deliveries and
 * their latency are counted per socket, as the seed defines them.
 */
final class SharedFrame {

  final ServerEvent event;
  private final Flush flush;
  private final EdgeMetrics metrics;
  private volatile ServerEventCodec.Numbered numbered;
  private volatile Map<String, PendingFrame.Stamp> stampsByKey;

  SharedFrame(Flush flush, EdgeMetrics metrics) {
    this.event = flush.event();
    this.flush = flush;
    this.metrics = metrics;
  }

  /** A socket wrote {@code sent} (this frame, or the part of it its filter let through) at {@code nowMs}. */
  void delivered(ServerEvent sent, long nowMs) {
    metrics.socketDelivered(sent == event ? flush.stamps() : stampsOf(sent), nowMs);
  }

  private List<PendingFrame.Stamp> stampsOf(ServerEvent sent) {
    Map<String, PendingFrame.Stamp> byKey = stampsByKey;
    if (byKey == null) {
      byKey = new HashMap<>();
      for (PendingFrame.Stamp stamp : flush.stamps()) {
        byKey.put(stamp.key(), stamp);
      }
      stampsByKey = byKey;
    }
    List<String> keys = new ArrayList<>();
    Object data = sent.data();
    if (data instanceof PortfolioFrame frame) {
      if (frame.positions() != null) {
        frame.positions().forEach(p -> keys.add(PendingFrame.key(p)));
      }
      if (frame.orders() != null) {
        frame.orders().forEach(o -> keys.add(PendingFrame.key(o)));
      }
      if (frame.account() != null) {
        keys.add(PendingFrame.ACCOUNT_KEY);
      }
      if (frame.trades() != null) {
        frame.trades().forEach(t -> keys.add(PendingFrame.key(t)));
      }
    } else if (data instanceof Position position) {
      keys.add(PendingFrame.key(position));
    } else if (data instanceof Order order) {
      keys.add(PendingFrame.key(order));
    } else if (data instanceof Trade trade) {
      keys.add(PendingFrame.key(trade));
    } else {
      keys.add(PendingFrame.ACCOUNT_KEY);
    }
    List<PendingFrame.Stamp> stamps = new ArrayList<>(keys.size());
    for (String key : keys) {
      PendingFrame.Stamp stamp = byKey.get(key);
      if (stamp != null) {
        stamps.add(stamp);
      }
    }
    return stamps;
  }

  /** The frame's JSON with {@code seq}. */
  String withSeq(long seq) {
    ServerEventCodec.Numbered parts = numbered;
    if (parts == null) {
      parts = ServerEventCodec.numbered(event);
      numbered = parts;
    }
    return parts.withSeq(seq);
  }
}
