package com.portfoliostream.web.http;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.json.DecodeException;
import java.io.IOException;

/**
 * Which request failures are the client's doing: malformed input (a body, a chunk size or a JSON
 * text that does not decode) and hang-ups. They are answered 400 (or not at all) and logged in one
 * line without a stack trace, so no client can fill the logs; everything else is our fault.
 */
final class ClientMistakes {

  private static final int MAX_SUMMARY = 120;

  private ClientMistakes() {}

  static boolean isMalformedInput(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof DecoderException || t instanceof TooLongFrameException || t instanceof DecodeException
          || t instanceof NumberFormatException && isFromNetty(t)) {
        return true;
      }
    }
    return false;
  }

  static boolean isHangUp(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof HttpClosedException || t instanceof PrematureChannelClosureException
          || t instanceof VertxException && "Connection was closed".equals(t.getMessage())
          || t instanceof IOException && String.valueOf(t.getMessage()).contains("Connection reset")) {
        return true;
      }
    }
    return false;
  }

  /** The failure's class and message, cut short: never a stack trace, never much of the input. */
  static String summary(Throwable failure) {
    String text = failure.getClass().getSimpleName() + ": " + failure.getMessage();
    return text.length() <= MAX_SUMMARY ? text : text.substring(0, MAX_SUMMARY) + "...";
  }

  /** Netty's HTTP decoder reports a bad chunk size as a NumberFormatException. */
  private static boolean isFromNetty(Throwable t) {
    StackTraceElement[] stack = t.getStackTrace();
    return stack.length > 0 && java.util.Arrays.stream(stack).limit(8)
        .anyMatch(e -> e.getClassName().startsWith("io.netty.handler.codec"));
  }
}
