package com.portfoliostream.stream.ws;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Assembles a socket's messages from their frames, in place of Vert.x's text and binary message
 * handlers: Vert.x decodes text with replacement characters, so {@code 0xc3 0x28} would reach the
 * parser as {@code "\uFFFD("}, where RFC 6455 (8.1) requires failing the connection. Text is
 * decoded strictly once its last frame is in; binary messages, which the protocol does not use,
 * are only sized, never kept. Either kind is bounded by {@code maxBytes}, as Vert.x bounded it.
 */
final class ClientFrames {

  /** What becomes of the message a frame ended. */
  interface Outcome {
    void text(String message);

    void binary();

    void invalidUtf8();

    void tooBig();
  }

  private final int maxBytes;
  private final Outcome outcome;
  /** The text message being assembled, or null. */
  private Buffer text;
  /** Bytes of the binary message being received, or -1 when none is. */
  private long binaryBytes = -1;

  ClientFrames(int maxBytes, Outcome outcome) {
    this.maxBytes = maxBytes;
    this.outcome = outcome;
  }

  void onFrame(WebSocketFrame frame) {
    if (frame.isText()) {
      text = Buffer.buffer();
      binaryBytes = -1;
    } else if (frame.isBinary()) {
      text = null;
      binaryBytes = 0;
    } else if (!frame.isContinuation()) {
      return;
    }
    if (text != null) {
      onTextFrame(frame);
    } else if (binaryBytes >= 0) {
      onBinaryFrame(frame);
    }
  }

  private void onTextFrame(WebSocketFrame frame) {
    if (text.length() + frame.binaryData().length() > maxBytes) {
      text = null;
      outcome.tooBig();
      return;
    }
    text.appendBuffer(frame.binaryData());
    if (frame.isFinal()) {
      Buffer message = text;
      text = null;
      decode(message);
    }
  }

  private void onBinaryFrame(WebSocketFrame frame) {
    binaryBytes += frame.binaryData().length();
    if (binaryBytes > maxBytes) {
      binaryBytes = -1;
      outcome.tooBig();
    } else if (frame.isFinal()) {
      binaryBytes = -1;
      outcome.binary();
    }
  }

  private void decode(Buffer message) {
    String decoded;
    try {
      decoded = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(message.getBytes())).toString();
    } catch (CharacterCodingException e) {
      outcome.invalidUtf8();
      return;
    }
    outcome.text(decoded);
  }
}
