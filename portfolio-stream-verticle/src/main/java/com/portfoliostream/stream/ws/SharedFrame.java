package com.portfoliostream.stream.ws;

import com.portfoliostream.events.json.ServerEventCodec;
import com.portfoliostream.events.protocol.ServerEvent;

/**
 * A frame the batching stage hands to every socket of a user, encoded to JSON at most once
 * however many of them take it whole: each socket only numbers it. Read from several event loops;
 * two loops racing may both encode, which costs time but never correctness.
 */
final class SharedFrame {

  final ServerEvent event;
  private volatile ServerEventCodec.Numbered numbered;

  SharedFrame(ServerEvent event) {
    this.event = event;
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
